import Foundation
import Testing
import NASArchitecture

/// The graph networks of the zoo (written by scripts/zoo/graph_zoo.py) against the figures their frameworks report.
@Suite struct GraphZooTests {
    /// torchvision's resnet18 reports 11,689,512 parameters (its BatchNorm running statistics are buffers).
    @Test func resnet18MatchesTorchvision() throws {
        let net = try Repo.zoo("resnet18").resolved()
        let f = net.figures()
        #expect(f.params == 11_689_512)
        #expect(net.output == .flat(1000))
        #expect(net.layers.filter { if case .add = $0.operation { return true }; return false }.count == 8)
    }

    /// Keras: ResNet50 has 25,636,712 parameters, 25,583,592 trainable.
    @Test func resnet50MatchesKeras() throws {
        let net = try Repo.zoo("resnet50").resolved()
        let f = net.figures()
        #expect(f.params == 25_583_592)
        #expect(f.params + f.nonTrainableParams == 25_636_712)
        #expect(net.layers.first { $0.name == "conv5_block3_add" }?.output == .spatial(h: 7, w: 7, c: 2048))
        #expect(net.output == .flat(1000))
    }

    /// Keras: MobileNetV2 (1.0, 224) has 3,538,984 parameters, 3,504,872 trainable; 10 of its 17 blocks are residual.
    @Test func mobilenetV2MatchesKeras() throws {
        let net = try Repo.zoo("mobilenet_v2").resolved()
        let f = net.figures()
        #expect(f.params == 3_504_872)
        #expect(f.params + f.nonTrainableParams == 3_538_984)
        #expect(net.layers.filter { if case .add = $0.operation { return true }; return false }.count == 10)
        #expect(net.layers.first { $0.name == "Conv_1" }?.output == .spatial(h: 7, w: 7, c: 1280))
    }
}
