import Foundation
import Testing
@testable import NASPredictors
import NASArchitecture

@Suite struct MachineFingerprintTests {
    static let avx512 = MachineFingerprint(cpuModel: "AMD EPYC", logicalCPUs: 2, isa: "avx512_core_bf16", library: "oneDNN 2.6.3", threads: 1)
    static let avx2 = MachineFingerprint(cpuModel: "AMD EPYC", logicalCPUs: 2, isa: "avx2", library: "oneDNN 2.6.3")

    @Test func differencesNameTheFieldsAndIgnoreThreads() {
        #expect(Self.avx2.differences(from: Self.avx512) == ["ISA avx2 (recorded: avx512_core_bf16)"])
        var other = Self.avx512
        other.threads = 2
        #expect(other.differences(from: Self.avx512).isEmpty)
        other.logicalCPUs = 8; other.cpuModel = "Intel Xeon"
        #expect(other.differences(from: Self.avx512) == ["CPU 'Intel Xeon' (recorded: 'AMD EPYC')", "8 logical CPUs (recorded: 2)"])
    }

    @Test func profileLinesRecordTheirMachineAndTheBundleKeepsIt() throws {
        let line = ProfileLineTests.ok // metadata: AMD EPYC, 2 logical CPUs, avx512_core_bf16, oneDNN 2.6.3, 2 threads
        let data = try Support.read(line, name: "host.jsonl")
        let expected = MachineFingerprint(cpuModel: "AMD EPYC", logicalCPUs: 2, isa: "avx512_core_bf16", library: "oneDNN 2.6.3", threads: 2)
        #expect(data.machines == [expected])
        // Through the manifest text and back.
        var manifest = try PredictorCatalog.load(device: "a100").manifest
        manifest.trainingData[0].machines = [expected]
        let reread = try BundleManifest(json: try JSONValue.parse(manifest.json.serialized(pretty: true)), file: "manifest.json")
        #expect(reread.trainingData[0].machines == [expected])
    }

    @Test func hostBundleFromAnotherMachineIsRefusedWithTheReason() throws {
        var manifest = try PredictorCatalog.load(device: "a100").manifest
        manifest.trainingData[0].machines = [Self.avx512]
        let spec = DeviceSpec.host(.nominal)
        let why = try #require(PredictorCatalog.hostMismatch(manifest, this: spec, fingerprint: Self.avx2))
        #expect(why.contains("profiled on another machine") && why.contains("ISA avx2 (recorded: avx512_core_bf16)"))
        #expect(PredictorCatalog.hostMismatch(manifest, this: spec, fingerprint: Self.avx512) == nil)
        // Not knowing this machine is not a match.
        #expect(PredictorCatalog.hostMismatch(manifest, this: spec, fingerprint: nil)?.contains("were not read") == true)
    }

    @Test func theShippedHostBundleRecordsWhereItWasProfiled() throws {
        let dir = try #require(PredictorCatalog.shippedDirectory) + "/host"
        let manifest = try DevicePredictor(directory: dir).manifest
        #expect(manifest.trainingData.count == 2)
        for t in manifest.trainingData { #expect(t.machines == [Self.avx512], "\(t.file)") }
    }
}
