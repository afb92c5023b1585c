import Foundation
import Testing
import NASArchitecture

/// Networks whose layers name their inputs: wiring, shapes, errors that name the layer and the input, liveness.
@Suite struct GraphTests {
    func resolve(_ json: String) throws -> ResolvedNetwork {
        try Architecture(json: Data(json.utf8)).resolved()
    }

    func error(_ json: String) -> String? {
        do { _ = try resolve(json); return nil } catch { return "\(error)" }
    }

    /// input 8×8×4 → a (3×3 same, 4 filters) → b (3×3 same) → add [a, b] (+relu).
    static let residual = #"""
    {"input":[8,8,4],"layers":[
     {"type":"conv2d","name":"a","filters":4,"kernel":3,"padding":"same","use_bias":false},
     {"type":"conv2d","name":"b","filters":4,"kernel":3,"padding":"same","use_bias":false},
     {"type":"add","name":"sum","inputs":["a","b"],"activation":"relu"}]}
    """#

    @Test func residualShapesAndSources() throws {
        let net = try resolve(Self.residual)
        #expect(net.isGraph)
        #expect(net.layers[2].output == .spatial(h: 8, w: 8, c: 4))
        #expect(net.sources(of: 2) == [0, 1])
        #expect(net.sources(of: 1) == [0])
        #expect(net.sources(of: 0) == [-1])
        #expect(net.layers[2].workload(batch: 2) == LayerWorkload(kind: .add, batch: 2, inH: 8, inW: 8, inC: 4, outH: 8, outW: 8,
                                                                   outC: 4, groups: 2, activation: .relu))
    }

    /// Weights 2 × 144 floats = 1,152 B; every tensor 256 floats = 1,024 B. While `sum` runs, a (kept for the
    /// skip), b and the output are alive: 1,152 + 3 × 1,024 = 4,224 B. A chain would need 1,152 + 2 × 1,024.
    @Test func skipTensorStaysAliveUntilItsLastReader() throws {
        let figures = try resolve(Self.residual).figures()
        #expect(figures.peakMemoryBytes == 4224)
        #expect(figures.peakLayerIndex == 2)
        #expect(figures.layers[2].flops == 256)
        #expect(figures.layers[2].inputElements == 512)
    }

    @Test func explicitChainEqualsImplicitChain() throws {
        let implicit = try Repo.zoo("darknet19")
        var explicit = implicit
        for i in explicit.layers.indices { explicit.layers[i].inputs = [i == 0 ? "input" : explicit.layers[i - 1].name] }
        let (a, b) = (try implicit.resolved(), try explicit.resolved())
        #expect(b.isGraph && !a.isGraph)
        #expect(a.figures().peakMemoryBytes == b.figures().peakMemoryBytes)
        #expect(a.figures().peakLayerIndex == b.figures().peakLayerIndex)
        #expect(a.layers.map(\.output) == b.layers.map(\.output))
    }

    @Test func concatJoinsChannelsAndFlatFeatures() throws {
        let net = try resolve(#"""
        {"input":[6,6,3],"layers":[
         {"type":"conv2d","name":"x","filters":5,"kernel":1},
         {"type":"conv2d","name":"y","filters":7,"kernel":3,"padding":"same","inputs":["input"]},
         {"type":"concat","name":"cat","inputs":["x","y","input"]},
         {"type":"global_avg_pool2d","name":"g"},
         {"type":"identity","name":"i","inputs":["g"]},
         {"type":"dense","name":"d1","units":4},
         {"type":"concat","name":"flat","inputs":["d1","g"]}]}
        """#)
        #expect(net.layers[2].output == .spatial(h: 6, w: 6, c: 15))
        #expect(net.layers[6].output == .flat(19))
        #expect(net.layers[2].workload(batch: 1)?.groups == 3)
        #expect(net.layers[2].figures(batch: 1).inputElements == 6 * 6 * 15)
    }

    @Test func wiringErrorsNameTheLayerAndTheInput() {
        let head = #"{"input":[8,8,4],"layers":[{"type":"conv2d","name":"a","filters":4,"kernel":1},"#
        #expect(error(head + #"{"type":"add","name":"s","inputs":["a","nope"]}]}"#)
                == "layer 1 's': unknown input 'nope': no earlier layer has that name (the network input is 'input')")
        #expect(error(head + #"{"type":"add","name":"s","inputs":["a","t"]},{"type":"identity","name":"t"}]}"#)
                == "layer 1 's': input 't' is layer 2, which comes later; a layer can read only the network input and layers listed above it")
        #expect(error(head + #"{"type":"add","name":"s","inputs":["a","s"]}]}"#)
                == "layer 1 's': input 's' is the layer itself; a layer can read only the network input and layers listed above it")
        #expect(error(head + #"{"type":"add","name":"s"}]}"#)
                == "layer 1 's': add needs 'inputs': the names of the two or more layers it joins")
        #expect(error(head + #"{"type":"add","name":"s","inputs":["a"]}]}"#)
                == "layer 1 's': add needs at least two inputs, got 1")
        #expect(error(head + #"{"type":"identity","name":"s","inputs":[]}]}"#)
                == "layer 1 's': 'inputs' is empty; name at least one earlier layer or 'input'")
        #expect(error(head + #"{"type":"identity","name":"s","inputs":["a","input"]}]}"#)
                == "layer 1 's': identity reads one input, but 'inputs' names 2")
        #expect(error(head + #"{"type":"identity","name":"s","inputs":["a", 3]}]}"#)
                == "layer 1 's': 'inputs' item 1 must be a non-empty layer name")
    }

    @Test func shapeErrorsNameBothInputs() {
        let head = #"{"input":[8,8,4],"layers":[{"type":"conv2d","name":"a","filters":4,"kernel":1},"#
            + #"{"type":"conv2d","name":"b","filters":6,"kernel":1,"inputs":["input"]},"#
        #expect(error(head + #"{"type":"add","name":"s","inputs":["a","b"]}]}"#)
                == "layer 2 's': add needs inputs of one shape: 'a' is 8×8×4, but 'b' is 8×8×6")
        #expect(error(head + #"{"type":"max_pool2d","name":"p","pool_size":2,"inputs":["a"]},{"type":"concat","name":"c","inputs":["b","p"]}]}"#)
                == "layer 3 'c': concat joins channels of inputs of one height and width: 'b' is 8×8×6, but 'p' is 4×4×4")
        #expect(error(head + #"{"type":"flatten","name":"f","inputs":["a"]},{"type":"concat","name":"c","inputs":["f","b"]}]}"#)
                == "layer 3 'c': concat joins flat inputs or spatial ones, not both: 'f' is flat, 'b' is 8×8×6")
    }

    @Test func everyOutputButTheLastMustBeRead() {
        let e = error(#"{"input":[8,8,4],"layers":[{"type":"conv2d","name":"a","filters":4,"kernel":1},"#
                      + #"{"type":"conv2d","name":"dead","filters":4,"kernel":1},{"type":"identity","name":"out","inputs":["a"]}]}"#)
        #expect(e?.hasPrefix("layer 1 'dead': its output is read by no later layer") == true)
    }

    @Test func ambiguousNames() {
        #expect(error(#"{"input":[8,8,4],"layers":[{"type":"conv2d","name":"a","filters":4,"kernel":1},"#
                      + #"{"type":"conv2d","name":"a","filters":4,"kernel":1},{"type":"add","name":"s","inputs":["a","a"]}]}"#)
                == "layer 2 's': input 'a' is ambiguous: 2 earlier layers have that name")
        #expect(error(#"{"input":[8,8,4],"layers":[{"type":"conv2d","name":"input","filters":4,"kernel":1},"#
                      + #"{"type":"add","name":"s","inputs":["input","input"]}]}"#)
                == "layer 1 's': input 'input' is ambiguous: it names both the network input and layer 0")
    }

    @Test func jsonRoundTripKeepsInputsAndLeavesChainsAlone() throws {
        let a = try Architecture(json: Data(Self.residual.utf8))
        let back = try Architecture(json: Data(a.jsonString().utf8))
        #expect(back == a)
        #expect(back.layers[2].inputs == ["a", "b"])
        #expect(back.layers[2].operation == .add(Add(activation: .relu)))
        let chain = try Repo.zoo("vgg16")
        #expect(!chain.jsonString().contains("\"inputs\""))
    }
}
