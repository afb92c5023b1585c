import ArgumentParser
import Foundation
import NASArchitecture
import NASPredictors
import NASSupport

/// `nas estimate`: what an architecture costs, from its shapes alone.
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Per-layer shapes, MACs, parameters and memory of an architecture.",
        discussion: """
            Reads an architecture JSON file (docs/architecture-format.md), infers every layer's shape and prints \
            analytic figures per layer and for the network: MACs, parameters, activation bytes and the peak \
            memory of sequential execution from tensor liveness. With --device, also the per-layer and total \
            latency, power, energy and memory predicted by each device's shipped predictor bundle.
            """
    )

    @Argument(help: "Architecture JSON file.") var architecture: String
    @Option(help: "Batch size (defaults to the file's batch).") var batch: Int?
    @Option(help: ArgumentHelp("Also predict latency, power, energy and memory on these devices (comma-separated ids: \(DeviceSpec.allIDs.joined(separator: ", "))).",
                               valueName: "ID[,ID…]"), transform: DeviceList.parse)
    var device: DeviceList?
    @Flag(help: "Print machine-readable JSON instead of a table.") var json = false

    func run() throws {
        let network = try loadNetwork(path: architecture, batch: batch)
        let figures = network.figures()
        let predictors = try (device?.ids ?? []).map(PredictorCatalog.load(device:))
        UncalibratedWarning.emit(predictors)
        let estimates = predictors.map { $0.estimate(network) }
        if json {
            var report = AnalyticReport.json(network: network, figures: figures)
            if !estimates.isEmpty, case .object(var o) = report {
                o["devices"] = .array(zip(estimates, predictors).map(DeviceEstimateReport.json))
                report = .object(o)
            }
            print(report.serialized())
        } else {
            print(AnalyticReport.text(network: network, figures: figures))
            for (e, p) in zip(estimates, predictors) {
                print("")
                print(DeviceEstimateReport.text(e, predictor: p))
            }
        }
    }
}

/// The device part of `nas estimate --device`: per-layer and total predictions from a predictor bundle.
enum DeviceEstimateReport {
    /// Two-sided level of the per-layer latency range.
    static let rangeConfidence = 0.8

    /// The layer's latency range at `rangeConfidence`, from its model's nested out-of-fold errors.
    static func range(_ w: LayerWorkload, _ p: DevicePredictor) -> ClosedRange<Double>? {
        p.latencyRange(w, confidence: rangeConfidence)
    }

    static func text(_ e: NetworkEstimate, predictor: DevicePredictor) -> String {
        let net = e.network
        var lines: [String] = []
        let status = e.calibrated ? e.status : "\(e.status) — NOT learnt"
        lines.append("== \(e.device.id): \(e.device.name), batch \(net.batch) (\(status))")
        lines.append("")
        var t = Table(["#", "layer", "workload", "latency ms", "\(Int(100 * rangeConfidence)) % range ms", "power W", "energy mJ", "model"],
                      leftAligned: [1, 2, 7])
        for (layer, est) in zip(net.layers, e.layers) {
            guard let est else {
                t.add([String(layer.index), layer.name, layer.operation.typeName, "0", "", "–", "0", "fused (costs nothing)"])
                continue
            }
            let w = layer.workload(batch: net.batch)!
            let source: String
            switch est.latencySource {
            case .learnt(let f): source = f.rawValue + (est.caveat != nil ? " (extrapolated)" : "")
            case .roofline: source = e.calibrated ? "roofline (no model)" : "roofline, uncalibrated"
            }
            let r = range(w, predictor).map { PredictorOutput.number($0.lowerBound) + "–" + PredictorOutput.number($0.upperBound) } ?? "–"
            t.add([String(layer.index), layer.name, w.description, PredictorOutput.cell(est.latencyMs), r,
                   PredictorOutput.cell(est.powerW), PredictorOutput.cell(est.energyMJ), source])
        }
        lines.append(t.text(rule: true))
        lines.append("")
        lines.append("ranges: where \(Int(100 * rangeConfidence)) % of layers the model never saw fell, from its nested cross-validation errors")
        lines.append("latency        \(PredictorOutput.value(e.latencyMs, "ms"))")
        lines.append("energy         \(PredictorOutput.value(e.energyMJ, "mJ")) (Σ layer latency × layer power)")
        lines.append("mean power     \(PredictorOutput.value(e.averagePowerW, "W")) (energy / latency)")
        let m = e.memory
        let peakAt = m.peakLayerIndex.map { " at layer \($0) '\(net.layers[$0].name)'" } ?? ""
        lines.append("memory         \(Formatting.bytes(m.livenessBytes)) exact tensor liveness\(peakAt) (default figure)")
        lines.append("  heuristics   \(Formatting.bytes(m.twoLargestFootprintsBytes)) pessimistic (two largest footprints), \(Formatting.bytes(m.twiceMeanFootprintBytes)) optimistic (2 × mean footprint), Sponner et al. 2022")
        switch m.learntMiB {
        case .value(let mib): lines.append("  learnt       \(PredictorOutput.number(mib)) MiB — \(m.learntMeaning)")
        case .unavailable(let why): lines.append("  learnt       unavailable: \(why)")
        }
        lines.append("")
        for note in e.notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }

    static func json(_ e: NetworkEstimate, predictor: DevicePredictor) -> JSONValue {
        let net = e.network
        let layers: [JSONValue] = zip(net.layers, e.layers).map { layer, est in
            var o: [String: JSONValue] = ["index": JSONValue(layer.index), "name": .string(layer.name)]
            guard let est else {
                o["fused"] = .bool(true)
                o["latency_ms"] = .number(0)
                o["energy_mj"] = .number(0)
                return .object(o)
            }
            o["fused"] = .bool(false)
            o["latency_ms"] = PredictorOutput.json(est.latencyMs)
            if let w = layer.workload(batch: net.batch), let r = range(w, predictor) {
                o["latency_range_ms"] = .object(["confidence": .number(rangeConfidence), "low": .number(r.lowerBound), "high": .number(r.upperBound)])
            }
            o["power_w"] = PredictorOutput.json(est.powerW)
            o["energy_mj"] = PredictorOutput.json(est.energyMJ)
            o["memory_mib"] = PredictorOutput.json(est.memoryMiB)
            o["device_memory_mib"] = PredictorOutput.json(est.deviceMemoryMiB)
            switch est.latencySource {
            case .learnt(let f): o["latency_model"] = .string(f.rawValue)
            case .roofline: o["latency_model"] = .string("roofline")
            }
            if let c = est.caveat { o["caveat"] = .string(c) }
            return .object(o)
        }
        let m = e.memory
        return .object([
            "device": .string(e.device.id), "name": .string(e.device.name), "calibrated": .bool(e.calibrated),
            "status": .string(e.status), "batch": JSONValue(net.batch), "layers": .array(layers),
            "totals": .object([
                "latency_ms": PredictorOutput.json(e.latencyMs), "energy_mj": PredictorOutput.json(e.energyMJ),
                "average_power_w": PredictorOutput.json(e.averagePowerW),
            ]),
            "memory": .object([
                "liveness_bytes": JSONValue(m.livenessBytes),
                "two_largest_footprints_bytes": JSONValue(m.twoLargestFootprintsBytes),
                "twice_mean_footprint_bytes": .number(m.twiceMeanFootprintBytes),
                "learnt_mib": PredictorOutput.json(m.learntMiB), "learnt_meaning": .string(m.learntMeaning),
            ]),
            "notes": .array(e.notes.map { .string($0) }),
        ])
    }
}

/// The analytic part of `nas estimate`, shared with device estimates.
enum AnalyticReport {
    /// "conv2d dw+relu6", "conv2d g4 d2": the layer type with the variants a reader needs at a glance.
    static func typeLabel(_ layer: ResolvedLayer) -> String {
        var type = layer.operation.typeName
        if case .conv2d(let c) = layer.operation {
            if c.depthwise { type += " dw" } else if layer.groups > 1 { type += " g\(layer.groups)" }
            if c.dilationH > 1 || c.dilationW > 1 { type += " d\(c.dilationH)" }
        }
        if let act = layer.operation.fusedActivation { type += "+\(act.rawValue)" }
        return type
    }

    static func text(network: ResolvedNetwork, figures: NetworkFigures) -> String {
        let a = network.architecture
        var t = Table(["#", "layer", "type", "output", "MACs", "params", "activations"], leftAligned: [1, 2, 3])
        for (layer, f) in zip(network.layers, figures.layers) {
            let type = AnalyticReport.typeLabel(layer)
            t.add([String(layer.index), layer.name, type, layer.output.description, Formatting.count(f.macs),
                   Formatting.grouped(f.params), Formatting.bytes(f.outputBytes)])
        }
        var lines = ["\(a.name): input \(a.inputShape), batch \(a.batch), \(network.layers.count) layers", "", t.text(rule: true), ""]
        lines.append("MACs           \(Formatting.count(figures.macs)) (\(Formatting.grouped(figures.macs)))")
        lines.append("FLOPs          \(Formatting.count(figures.flops))")
        var params = "parameters     \(Formatting.grouped(figures.params)) trainable"
        if figures.nonTrainableParams > 0 { params += " + \(Formatting.grouped(figures.nonTrainableParams)) non-trainable (BatchNorm statistics, folded)" }
        lines.append(params)
        lines.append("weights        \(Formatting.bytes(figures.weightBytes)) (f32, inference form)")
        let peakAt = figures.peakLayerIndex.map { " at layer \($0) '\(network.layers[$0].name)'" } ?? ""
        lines.append("peak memory    \(Formatting.bytes(figures.peakMemoryBytes)) (tensor liveness: weights + \(network.isGraph ? "running layer's output and every tensor still to be read" : "running layer's input and output")\(peakAt))")
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
