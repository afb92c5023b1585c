import Foundation
import Testing
import NASArchitecture

/// Published figures of well-known networks: if shape inference or counting drifts, these break.
@Suite struct ZooFiguresTests {
    @Test func vgg16() throws {
        let f = try Repo.zoo("vgg16").resolved().figures()
        #expect(f.params == 138_357_544)
        // 15.47 G MACs: 15.35 G in the convolutions plus 123.6 M in the classifier.
        #expect(abs(Double(f.macs) / 1e9 - 15.47) < 0.005)
    }

    @Test func mobileNetV1() throws {
        let f = try Repo.zoo("mobilenet_v1").resolved().figures()
        // Keras' trainable count: conv weights (no bias) + BatchNorm γ/β + classifier.
        #expect(f.params == 4_231_976)
        #expect(f.nonTrainableParams == 21_888)
        #expect(abs(Double(f.macs) / 1e6 - 569) < 1)
    }

    @Test func leNet5() throws {
        #expect(try Repo.zoo("lenet5").resolved().figures().params == 61_706)
    }

    @Test func alexNet() throws {
        #expect(try Repo.zoo("alexnet").resolved().figures().params == 61_100_840)
    }

    @Test func darknet19ShapesMatchThePaper() throws {
        let net = try Repo.zoo("darknet19").resolved()
        #expect(net.batch == 16)
        let expected: [[Int]] = [
            [222, 222, 32], [111, 111, 32],
            [111, 111, 64], [55, 55, 64],
            [55, 55, 128], [55, 55, 64], [55, 55, 128], [27, 27, 128],
            [27, 27, 256], [27, 27, 128], [27, 27, 256], [13, 13, 256],
            [11, 11, 512], [11, 11, 256], [9, 9, 512], [9, 9, 512], [7, 7, 512], [3, 3, 512],
            [3, 3, 1000], [1000], [1000],
        ]
        #expect(net.layers.map(\.output.dimensions) == expected)
    }

    @Test func everyZooFileRoundTrips() throws {
        for name in ["lenet5", "alexnet", "vgg16", "mobilenet_v1", "darknet19"] {
            let a = try Repo.zoo(name)
            let again = try Architecture(json: Data(a.jsonString().utf8))
            #expect(again == a, "\(name) changed in a JSON round trip")
            #expect(again.jsonString() == a.jsonString())
        }
    }
}
