import Foundation
import Testing
import NASArchitecture
@testable import NASMeasurement
import NASSupport

@Suite(.serialized) struct ProfilerTests {
    let settings = MeasurementSettings(warmup: 0, repeats: 2, threads: 1)

    /// A directory holding one small architecture, standing in for the model zoo.
    func tinyZoo() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
        {"name": "tiny", "input": [8, 8, 8], "layers": [
          {"type": "conv2d", "name": "c1", "filters": 8, "kernel": 3, "padding": "same", "activation": "relu"},
          {"type": "max_pool2d", "name": "p1", "pool_size": 2},
          {"type": "conv2d", "name": "c2", "filters": 16, "kernel": 3, "activation": "relu"},
          {"type": "flatten"},
          {"type": "dense", "name": "d1", "units": 5}]}
        """.write(to: dir.appendingPathComponent("tiny.json"), atomically: true, encoding: .utf8)
        return dir
    }

    func lines(_ path: String) throws -> [JSONValue] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
    }

    /// The (workload, batch) pairs of the lines: a pair's identity is its workload.
    func keys(_ lines: [JSONValue]) throws -> [LayerWorkload] {
        try lines.map { try AgentProtocol.decode(LayerWorkload.self, $0["workload"]!) }
    }

    @Test func catalogMixesEveryCategoryEarly() throws {
        let zoo = try WorkloadCatalog.loadZoo(directory: try tinyZoo().path)
        let catalog = WorkloadCatalog.representative(zoo: zoo, seed: 7, randomDense: 5)
        let first = Set(catalog.prefix(8).map(\.category))
        #expect(first == ["conv", "depthwise", "dilated", "max_pool", "dense", "grouped", "avg_pool", "dense_random"])
        #expect(Set(catalog.map(\.workload)).count == catalog.count)
        #expect(catalog.allSatisfy { $0.workload.batch == 1 })
        for e in catalog where e.workload.kind != .dense { try HostBackend.validate(e.workload) }
        #expect(WorkloadCatalog.representative(zoo: zoo, seed: 7, randomDense: 5) == catalog)
    }

    @Test func resumeSkipsFinishedPairsAndDropsATruncatedLastLine() throws {
        let zoo = try WorkloadCatalog.loadZoo(directory: try tinyZoo().path)
        let catalog = WorkloadCatalog.representative(zoo: zoo, seed: 3, randomDense: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backend = try HostBackend()

        let first = try Profiler(backend: backend, path: path, options: .init(batches: [2, 1], limit: 3, settings: settings),
                                 progress: ProgressReporter(style: .silent)).run(catalog: catalog)
        #expect(first.measured == 6)
        let afterFirst = try lines(path)
        #expect(afterFirst.count == 6)
        // Ascending batch sizes, whatever order they were given in.
        #expect(afterFirst[0]["workload"]?["batch"] == 1 && afterFirst[1]["workload"]?["batch"] == 2)

        // An interrupted write leaves half a line.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"format_version\":1,\"status\":\"ok\",\"work".utf8))
        try handle.close()

        let second = try Profiler(backend: backend, path: path, options: .init(batches: [1, 2], limit: 5, settings: settings),
                                  progress: ProgressReporter(style: .silent)).run(catalog: catalog)
        #expect(second.alreadyDone == 6)
        #expect(second.measured == 4)
        #expect(second.droppedPartialBytes == 39)
        let all = try lines(path)
        #expect(all.count == 10)
        let k = try keys(all)
        #expect(Set(k).count == k.count, "no (workload, batch) twice")
        for line in all {
            #expect(line["status"] == "ok")
            #expect(line["format_version"] == 1)
            #expect((line["latency_ms"]?.doubleValue ?? 0) > 0)
            #expect(line["latency_iqr_ms"]?.doubleValue != nil)
            #expect((line["memory_bytes"]?.intValue ?? 0) > 0)
            #expect(line["metadata"]?["device_id"] == "host")
            #expect(line["device"] == "host")
            if line["energy_mj"] == .null { #expect(line["energy_unavailable"]?.stringValue?.isEmpty == false) }
            if line["power_w"] == .null { #expect(line["power_unavailable"]?.stringValue?.isEmpty == false) }
        }

        let third = try Profiler(backend: backend, path: path, options: .init(batches: [1, 2], limit: 5, settings: settings),
                                 progress: ProgressReporter(style: .silent)).run(catalog: catalog)
        #expect(third.measured == 0 && third.alreadyDone == 10)
        #expect(try lines(path).count == 10)
    }

    @Test func aFailureSkipsTheLargerBatchesAndIsRemembered() throws {
        let zoo = try WorkloadCatalog.loadZoo(directory: try tinyZoo().path)
        let catalog = WorkloadCatalog.representative(zoo: zoo, seed: 3, randomDense: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }

        // No program fits in 1 KiB, so the first workload fails at batch 1.
        let tight = try HostBackend(memoryLimitBytes: 1024)
        let s1 = try Profiler(backend: tight, path: path, options: .init(batches: [1], limit: 1, settings: settings),
                              progress: ProgressReporter(style: .silent)).run(catalog: catalog)
        #expect(s1.failed == 1)
        var all = try lines(path)
        #expect(all[0]["status"] == "failed")
        #expect(all[0]["error"]?.stringValue?.contains("limit") == true)

        // Resuming with more batches: batch 1 is settled, and its failure skips batch 4 without trying it.
        let s2 = try Profiler(backend: try HostBackend(), path: path, options: .init(batches: [1, 4], limit: 1, settings: settings),
                              progress: ProgressReporter(style: .silent)).run(catalog: catalog)
        #expect(s2.measured == 0 && s2.skipped == 1 && s2.alreadyDone == 1)
        all = try lines(path)
        #expect(all.count == 2)
        #expect(all[1]["status"] == "skipped")
        #expect(all[1]["workload"]?["batch"] == 4)
        #expect(all[1]["error"]?.stringValue?.hasPrefix("batch 1 failed: ") == true)
    }

    @Test func aSecondRunOnTheSameDatasetIsRefused() throws {
        let zoo = try WorkloadCatalog.loadZoo(directory: try tinyZoo().path)
        let catalog = WorkloadCatalog.representative(zoo: zoo, seed: 3, randomDense: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let running = try JSONLinesFile(appendingTo: path, sync: .onClose, holder: "another nas profile")
        do {
            _ = try Profiler(backend: try HostBackend(), path: path, options: .init(batches: [1], limit: 1, settings: settings),
                             progress: ProgressReporter(style: .silent)).run(catalog: catalog)
            Issue.record("a second writer must be refused")
        } catch let e as FileError {
            #expect(e.description == "\(path): cannot lock for appending (another nas profile is writing to it)")
        }
        _ = running
    }

    @Test func aDamagedLineInTheMiddleStopsTheResume() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"workload\": {}}\nnot json\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: MeasurementError.self) { _ = try ProfileResume(path: path) }
    }

    @Test func timeBudgetsParse() throws {
        #expect(try parseDuration("30m") == 1800)
        #expect(try parseDuration("1h30m") == 5400)
        #expect(try parseDuration("90s") == 90)
        #expect(try parseDuration("45") == 45)
        #expect(throws: MeasurementError.self) { _ = try parseDuration("3 days") }
        #expect(throws: MeasurementError.self) { _ = try parseDuration("0m") }
    }
}
