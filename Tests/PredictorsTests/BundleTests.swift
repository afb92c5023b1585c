import Foundation
import Testing
@testable import NASPredictors
import NASArchitecture

@Suite struct BundleTests {
    @Test func trainingIsDeterministic() throws {
        let a = try SyntheticDevice.bundle(), b = try SyntheticDevice.bundle()
        #expect(a.manifestText == b.manifestText)
        #expect(a.files == b.files)
        #expect(a.manifest.calibrated)
        #expect(a.manifest.trainingData.first?.file == "synthetic.jsonl")
        // Every learnt (kind, metric) of the synthetic device has a model; device memory has none. The synthetic
        // data has no add or concat, so the manifest has no entries for them at all (tested below).
        for kind in WorkloadKind.layerKinds {
            for metric in [Metric.latency, .power, .memory] { #expect(a.model(kind, metric) != nil, "\(kind) \(metric)") }
            #expect(a.manifest.unavailableReason(kind, .deviceMemory) != nil)
            #expect(a.manifest.entry(kind, .energy)?.derived != nil)
        }
    }

    /// Kinds that were never profiled leave shipped manifests as they were: no entry, no unavailable reason.
    /// The predictor then uses the roofline for them and says why.
    @Test func unprofiledJoinsStayOutOfTheManifestAndFallBackToTheRoofline() throws {
        let bundle = try SyntheticDevice.bundle()
        for kind in [WorkloadKind.add, .concat] {
            for metric in Metric.allCases {
                #expect(bundle.manifest.entry(kind, metric) == nil)
                #expect(bundle.manifest.unavailableReason(kind, metric) == nil)
            }
        }
        let predictor = DevicePredictor(bundle: bundle)
        let add = LayerWorkload(kind: .add, batch: 4, inH: 14, inW: 14, inC: 64, outH: 14, outW: 14, outC: 64, groups: 2)
        let e = predictor.predict(add)
        #expect(e.latencySource == .roofline)
        #expect(e.latencyMs.value == predictor.spec.rooflineMilliseconds(add))
        #expect(e.powerW.isAvailable && e.energyMJ.isAvailable)
        #expect(e.caveat?.contains("power from its avg_pool2d model") == true)
    }

    @Test func aKnownLawIsLearntWell() throws {
        let bundle = try SyntheticDevice.bundle()
        // latency = 0.01 + 4 × roofline is exactly the roofline family.
        let conv = try #require(bundle.manifest.entry(.conv2d, .latency))
        #expect(conv.scores.mape < 1, "\(conv.scores)")
        #expect(conv.candidates[ModelCandidate(.roofline)]?.scores != nil)
        #expect(conv.candidates.count == RegressorFamily.allCases.count)
    }

    @Test func writeThenLoadGivesTheSamePredictions() throws {
        let bundle = try SyntheticDevice.bundle()
        let dir = try Support.temporaryDirectory().appendingPathComponent("pi4").path
        try bundle.write(to: dir)
        // Writing twice gives byte-identical files.
        let first = try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)) }
        try bundle.write(to: dir)
        let second = try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)) }
        #expect(first == second)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir)).contains { $0.contains(".tmp") })

        let loaded = try PredictorBundle.load(directory: dir)
        #expect(loaded.manifest == bundle.manifest)
        let trained = DevicePredictor(bundle: bundle), reread = DevicePredictor(bundle: loaded, directory: dir)
        for w in SyntheticDevice.workloads(30, seed: 99) {
            #expect(trained.compute(w) == reread.compute(w))
        }
    }

    @Test func corruptOrIncompatibleBundlesNameTheFile() throws {
        let bundle = try SyntheticDevice.bundle()
        let root = try Support.temporaryDirectory()
        func fresh(_ name: String) throws -> String {
            let dir = root.appendingPathComponent(name).path
            try bundle.write(to: dir)
            return dir
        }
        func expectError(_ dir: String, _ file: String, _ phrase: String) {
            do {
                _ = try PredictorBundle.load(directory: dir)
                Issue.record("loaded a broken bundle: \(phrase)")
            } catch let e as PredictorError {
                #expect(e.description.hasPrefix("\(dir)/\(file): "), "\(e)")
                #expect(e.description.contains(phrase), "\(e)")
                #expect(!e.description.contains("\n"))
            } catch { Issue.record("unexpected \(error)") }
        }
        // Truncated manifest.
        var dir = try fresh("truncated")
        let manifest = dir + "/manifest.json"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try String(text.prefix(200)).write(toFile: manifest, atomically: true, encoding: .utf8)
        expectError(dir, "manifest.json", "corrupt manifest")
        // A newer schema.
        dir = try fresh("future")
        try text.replacingOccurrences(of: "\"schema_version\": 1", with: "\"schema_version\": 99")
            .write(toFile: dir + "/manifest.json", atomically: true, encoding: .utf8)
        expectError(dir, "manifest.json", "incompatible bundle: schema_version 99")
        // A damaged model file (its hash no longer matches).
        dir = try fresh("damaged")
        let modelFile = try #require(bundle.manifest.entry(.conv2d, .latency)?.file)
        try Data("{\"family\": 1}".utf8).write(to: URL(fileURLWithPath: dir + "/" + modelFile))
        expectError(dir, modelFile, "corrupt model file")
        // A missing model file.
        dir = try fresh("missing")
        try FileManager.default.removeItem(atPath: dir + "/" + modelFile)
        expectError(dir, modelFile, "cannot read model file")
        // No bundle at all.
        expectError(root.appendingPathComponent("nothing").path, "manifest.json", "cannot read the bundle manifest")
    }

    @Test func shippedBundlesLoadForAllSevenTargets() throws {
        #expect(Set(PredictorCatalog.shippedDevices).isSuperset(of: ["a100", "k80", "gtx980ti", "xeon", "i7", "pi4", "xu4"]))
        for id in ["a100", "k80", "gtx980ti", "xeon", "i7", "pi4"] {
            let p = try PredictorCatalog.load(device: id)
            #expect(p.isCalibrated, "\(id)")
            #expect(p.manifest.trainingData.map(\.file) == ["\(id).jsonl"])
            #expect(p.manifest.sampleCount >= 127)
            #expect(p.manifest.entry(.conv2d, .latency)?.chosen != nil)
        }
        #expect(throws: PredictorError.self) { try PredictorCatalog.load(device: "tpu") }
    }

    @Test func xu4IsUncalibratedEverywhere() throws {
        let xu4 = try PredictorCatalog.load(device: "xu4")
        #expect(!xu4.isCalibrated)
        #expect(xu4.status == "uncalibrated: no measurements")
        #expect(xu4.manifest.models.isEmpty)
        let w = LayerWorkload(kind: .conv2d, batch: 1, inH: 56, inW: 56, inC: 64, outH: 54, outW: 54, outC: 64, kernelH: 3, kernelW: 3)
        let e = xu4.predict(w)
        #expect(e.latencySource == .roofline)
        #expect(e.latencyMs == .value(DeviceSpec.xu4.rooflineMilliseconds(w)))
        // No power was ever measured: energy is the roofline time at the rated board power, said so in the caveat.
        #expect(e.powerW == .value(DeviceSpec.xu4.tdpWatts!))
        #expect(e.energyMJ == .value(DeviceSpec.xu4.rooflineMilliseconds(w) * 10))
        #expect(e.caveat?.contains("uncalibrated") == true && e.caveat?.contains("rated 10 W") == true)
    }

    @Test(.enabled(if: Support.sharedData != nil, "needs ../shared/data/sponner"))
    func shippedBundlesReproduceFromTheSharedData() throws {
        // One device here (nested cross-validation in a debug build is slow, and the Pi has no group to pool
        // over); scripts/train-bundles.sh --check covers all seven, pooled ones included.
        for id in ["pi4"] {
            let spec = try #require(DeviceSpec.named(id))
            let data = try DatasetReader.read(path: Support.sharedData!.appendingPathComponent("\(id).jsonl").path, device: spec)
            let bundle = try Trainer.train(device: spec, datasets: [data])
            let shipped = try #require(PredictorCatalog.bundleDirectory(device: id))
            let shippedManifest = try String(contentsOfFile: shipped + "/manifest.json", encoding: .utf8)
            if bundle.manifestText != shippedManifest {
                // Leave the retrained manifest where `diff` can show what changed.
                let retrained = FileManager.default.temporaryDirectory.appendingPathComponent("nas-\(id)-retrained-manifest.json")
                try Data(bundle.manifestText.utf8).write(to: retrained)
                Issue.record("\(id): the retrained manifest differs from the shipped one: diff \(retrained.path) \(shipped)/manifest.json")
            }
            for (name, bytes) in bundle.files {
                #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: shipped + "/" + name))), "\(id)/\(name)")
            }
        }
    }
}

@Suite struct HostDeviceSpecTests {
    @Test func peakIsCPUsTimesClockTimesFlopsPerCycle() {
        let f = HostFigures(cpuModel: "Test CPU", logicalCPUs: 4, clockMHz: 2500, isa: "AVX2 + FMA", fp32FlopsPerCycle: 32,
                            memoryBandwidth: 2.5e10, bandwidthSource: "given", memoryBytes: 8e9)
        let spec = DeviceSpec.host(f)
        #expect(spec.id == "host")
        #expect(spec.peakFlops == 4 * 2500e6 * 32)
        #expect(spec.memoryBandwidth == 2.5e10 && spec.memoryBytes == 8e9 && spec.tdpWatts == nil)
        #expect(spec.name.contains("Test CPU") && spec.name.contains("4 logical CPUs"))
        #expect(spec.sources.contains { $0.contains("bandwidth: given") })
    }

    @Test func nominalFiguresSaySo() {
        #expect(DeviceSpec.host(.nominal).notes.contains("not measured"))
    }
}
