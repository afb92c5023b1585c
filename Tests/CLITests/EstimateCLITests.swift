import Foundation
import Testing

@Suite struct EstimateCLITests {
    @Test func estimatePrintsTotals() throws {
        let r = try NASBinary.run(["estimate", "SearchSpaces/zoo/vgg16.json"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("parameters     138,357,544 trainable"))
    }

    @Test func estimateJSONIsParseableAndCarriesWorkloads() throws {
        let r = try NASBinary.run(["estimate", "SearchSpaces/zoo/darknet19.json", "--json"])
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let totals = object?["totals"] as? [String: Any]
        #expect((totals?["params"] as? NSNumber)?.intValue == 6_425_704)
        let layers = object?["layers"] as? [[String: Any]]
        #expect(layers?.count == 21)
        #expect((layers?.first?["workload"] as? [String: Any])?["batch"] as? NSNumber == 16)
    }

    /// A graph network is estimated on every device (add layers by the roofline, said so), and refused by the
    /// host backend with one line naming the first layer it cannot run.
    @Test func graphNetworksAreEstimatedAndRefusedByTheHostBackend() throws {
        let e = try NASBinary.run(["estimate", "SearchSpaces/zoo/resnet50.json", "--device", "pi4"])
        #expect(e.status == 0)
        #expect(e.stdout.contains("parameters     25,583,592 trainable + 53,120 non-trainable"))
        #expect(e.stdout.contains("roofline only: no learnt add latency model for pi4; power from its avg_pool2d model"))
        let b = try NASBinary.run(["bench", "SearchSpaces/zoo/resnet18.json", "--backend", "host", "--threads", "1", "--repeats", "2"])
        #expect(b.status != 0)
        let lines = b.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("layer 4 'layer1.0.add': the host backend does not run graph networks yet") == true)
    }

    /// Each bad input: a non-zero exit and exactly one line on stderr that names the file and the layer.
    @Test(arguments: [
        (#"{"input":[4,4,3],"layers":[{"type":"conv2d","name":"big","filters":8,"kernel":5}]}"#, "layer 0 'big': kernel height 5"),
        (#"{"input":[8,8,6],"layers":[{"type":"conv2d","name":"g","filters":8,"kernel":3,"groups":4}]}"#, "layer 0 'g': input channels 6"),
        (#"{"input":[8,8,3],"layers":[{"type":"dense","name":"fc","units":10}]}"#, "layer 0 'fc': dense needs a flat input"),
        (#"{"input":[8,8,3],"layers":[{"type":"conv2d","name":"z","filters":-1,"kernel":3}]}"#, "layer 0 'z': filters must be positive"),
        (#"{"input":[8,8,3],"layers":[{"type":"conv9d","name":"u"}]}"#, "layer 0 'u': unknown layer type 'conv9d'"),
        (#"{"input":[8,8,3],"layers":[{"type":"dense","name":"k","units":3,"unit":3}]}"#, "layer 0 'k': unknown key 'unit'"),
        (#"{"input":[8,8,3],"layers":[{"type":"max_pool2d","name":"p","pool_size":9}]}"#, "layer 0 'p': pool window height 9"),
        ("{\"input\":[8,8,3],", "malformed JSON"),
    ])
    func badInputFailsWithOneLine(json: String, expected: String) throws {
        let file = try NASBinary.temporaryFile(json)
        let r = try NASBinary.run(["estimate", file.path])
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(file.path + ": "))
        #expect(r.stderr.contains(expected), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
