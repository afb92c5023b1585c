import ArgumentParser
import Foundation
import NASArchitecture

/// `nas estimate`: what an architecture costs, from its shapes alone.
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Per-layer shapes, MACs, parameters and memory of an architecture.",
        discussion: """
            Reads an architecture JSON file (docs/architecture-format.md), infers every layer's shape and prints \
            analytic figures per layer and for the network: MACs, parameters, activation bytes and the peak \
            memory of sequential execution from tensor liveness.
            """
    )

    @Argument(help: "Architecture JSON file.") var architecture: String
    @Option(help: "Batch size (defaults to the file's batch).") var batch: Int?
    @Flag(help: "Print machine-readable JSON instead of a table.") var json = false

    func run() throws {
        let network = try loadNetwork(path: architecture, batch: batch)
        let figures = network.figures()
        if json {
            print(AnalyticReport.json(network: network, figures: figures).serialized())
        } else {
            print(AnalyticReport.text(network: network, figures: figures))
        }
    }
}

/// The analytic part of `nas estimate`, shared with device estimates.
enum AnalyticReport {
    static func text(network: ResolvedNetwork, figures: NetworkFigures) -> String {
        let a = network.architecture
        var t = TextTable(["#", "layer", "type", "output", "MACs", "params", "activations"], leftAligned: [1, 2, 3])
        for (layer, f) in zip(network.layers, figures.layers) {
            var type = layer.operation.typeName
            if case .conv2d(let c) = layer.operation {
                if c.depthwise { type += " dw" } else if layer.groups > 1 { type += " g\(layer.groups)" }
                if c.dilationH > 1 || c.dilationW > 1 { type += " d\(c.dilationH)" }
            }
            if let act = layer.operation.fusedActivation { type += "+\(act.rawValue)" }
            t.add([String(layer.index), layer.name, type, layer.output.description, Formatting.count(f.macs),
                   Formatting.grouped(f.params), Formatting.bytes(f.outputBytes)])
        }
        var lines = ["\(a.name): input \(a.inputShape), batch \(a.batch), \(network.layers.count) layers", "", t.render(), ""]
        lines.append("MACs           \(Formatting.count(figures.macs)) (\(Formatting.grouped(figures.macs)))")
        lines.append("FLOPs          \(Formatting.count(figures.flops))")
        var params = "parameters     \(Formatting.grouped(figures.params)) trainable"
        if figures.nonTrainableParams > 0 { params += " + \(Formatting.grouped(figures.nonTrainableParams)) non-trainable (BatchNorm statistics, folded)" }
        lines.append(params)
        lines.append("weights        \(Formatting.bytes(figures.weightBytes)) (f32, inference form)")
        let peakAt = figures.peakLayerIndex.map { " at layer \($0) '\(network.layers[$0].name)'" } ?? ""
        lines.append("peak memory    \(Formatting.bytes(figures.peakMemoryBytes)) (tensor liveness: weights + running layer's input and output\(peakAt))")
        lines.append("  heuristics   \(Formatting.bytes(figures.twoLargestFootprintsBytes)) pessimistic (two largest layer footprints), "
                     + "\(Formatting.bytes(figures.twiceMeanFootprintBytes)) optimistic (2 × mean footprint), Sponner et al. 2022")
        return lines.joined(separator: "\n")
    }

    static func json(network: ResolvedNetwork, figures: NetworkFigures) -> JSONValue {
        let layers: [JSONValue] = zip(network.layers, figures.layers).map { layer, f in
            var o: [String: JSONValue] = [
                "index": JSONValue(layer.index), "name": .string(layer.name), "type": .string(layer.operation.typeName),
                "input_shape": JSONValue(layer.input.dimensions), "output_shape": JSONValue(layer.output.dimensions),
                "macs": JSONValue(f.macs), "flops": JSONValue(f.flops), "params": JSONValue(f.params),
                "non_trainable_params": JSONValue(f.nonTrainableParams),
                "input_elements": JSONValue(f.inputElements), "weight_elements": JSONValue(f.weightElements),
                "output_elements": JSONValue(f.outputElements), "input_bytes": JSONValue(f.inputBytes),
                "weight_bytes": JSONValue(f.weightBytes), "output_bytes": JSONValue(f.outputBytes),
                "arithmetic_intensity": JSONValue(f.arithmeticIntensity), "fused_away": JSONValue(layer.isFusedAway),
            ]
            if let w = layer.workload(batch: network.batch), let data = try? JSONEncoder.sorted.encode(w),
               let v = try? JSONValue.parse(data) {
                o["workload"] = v
            }
            return .object(o)
        }
        return .object([
            "name": .string(network.architecture.name),
            "batch": JSONValue(network.batch),
            "input_shape": JSONValue(network.architecture.inputShape.dimensions),
            "layers": .array(layers),
            "totals": .object([
                "macs": JSONValue(figures.macs), "flops": JSONValue(figures.flops), "params": JSONValue(figures.params),
                "non_trainable_params": JSONValue(figures.nonTrainableParams), "weight_bytes": JSONValue(figures.weightBytes),
                "peak_memory_bytes": JSONValue(figures.peakMemoryBytes),
                "two_largest_footprints_bytes": JSONValue(figures.twoLargestFootprintsBytes),
                "twice_mean_footprint_bytes": JSONValue(figures.twiceMeanFootprintBytes),
            ]),
        ])
    }
}

extension JSONEncoder {
    /// Deterministic JSON: sorted keys, no escaped slashes.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
