import Foundation
import Testing
@testable import NASPredictors
import NASArchitecture

/// Real lines from ../shared/data/sponner (copied here so the tests run without the shared folder).
enum RealLines {
    static let a100 = #"{"path": "dataset/cuda_A100/conv2d/xception-conv2d_2_16.json", "sample": {"filters": 728, "kernel": [1, 1], "strides": [2, 2], "padding": "same", "dilation": [1, 1], "groups": 1, "input shape": [null, 37, 37, 256], "output shape": [null, 19, 19, 728], "output dtype": "float32", "compute dtype": "float32", "workload": "conv2d", "data layout": "NCHW", "kernel layout": "OIHW", "batch_size": 16, "time": 8.54098, "power": 162.769, "memory": 0.4453125}}"#
    static let k80 = #"{"path": "dataset/cuda_K80/conv2d/inception_v3-conv2d_11_1.json", "sample": {"filters": 64, "kernel": [5, 5], "strides": [1, 1], "padding": "same", "dilation": [1, 1], "groups": 1, "input shape": [null, 35, 35, 48], "output shape": [null, 31, 31, 64], "output dtype": "float32", "compute dtype": "float32", "workload": "conv2d", "data layout": "NCHW", "kernel layout": "OIHW", "batch_size": 1, "time": 2.74741, "power": 128.899, "memory": 0.067626953125}}"#
    static let gtx980ti = #"{"path": "dataset/cuda_980ti/avg_pool2d/random_max_pool_12_1.json", "sample": {"pool_size": [2, 2], "strides": [4, 4], "padding": "same", "input shape": [null, 135, 132, 1771], "output shape": [null, 33, 34, 1771], "output dtype": "float32", "compute dtype": "float32", "workload": "avg_pool2d", "strides_0": 4, "strides_1": 4, "data layout": "NCHW", "batch_size": 1, "time": 0.281124, "power": 145.262, "memory": 0.22161865234375}}"#
    static let xeon = #"{"path": "dataset/llvm -mcpu=haswell_E5-2680/dense/random_dense_21_16.json", "sample": {"units": 3971, "features": 2171, "input shape": [null, 2171], "output shape": [null, 3971], "output dtype": "float32", "compute dtype": "float32", "workload": "dense", "batch_size": 16, "time": 8.90002, "power": 102.0, "memory": -1}}"#
    static let i7 = #"{"path": "dataset/llvm -mcpu=haswell_i7-4790/max_pool2d/random_avg_pool_108_16.json", "sample": {"pool_size": [2, 2], "stride": [4, 4], "padding": "valid", "input shape": [null, 14, 14, 1836], "output shape": [null, 4, 4, 1836], "output dtype": "float32", "compute dtype": "float32", "workload": "max_pool2d", "strides": [4, 4], "data layout": "NCHW", "batch_size": 16, "time": 0.250941, "power": 44.92698458754337, "memory": -1}}"#
    static let pi4 = #"{"path": "dataset/rasp4b/conv2d/rasp4b_NASNet-adjust_conv_2_0_1", "sample": {"filters": 84, "kernel": [1, 1], "strides": [1, 1], "padding": "same", "dilation": [1, 1], "groups": 1, "input shape": [null, 42, 42, 168], "output shape": [null, 42, 42, 84], "output dtype": "float32", "compute dtype": "float32", "data_layout": "NCHW", "kernel_layout": "OIHW", "workload": "conv2d", "batch_size": 1, "N_I": 1, "H_I": 42, "W_I": 42, "C_I": 168, "N_O": 1, "H_O": 42, "W_O": 42, "C_O": 84, "io_size": 592704, "ws_size": 1242304, "time": 0.0182392, "power": 3.88945}}"#
    static let pi4Dilated = #"{"path": "dataset/rasp4b/conv2d/rasp4b_NASNet-adjust_conv_1_5_dilation_rate_2_16.json", "sample": {"filters": 44, "kernel": [1, 1], "strides": [1, 1], "padding": "same", "dilation": [2, 2], "groups": 1, "input shape": [null, 14, 14, 264], "output shape": [null, 14, 14, 44], "output dtype": "float32", "compute dtype": "float32", "data_layout": "NCHW", "kernel_layout": "OIHW", "workload": "conv2d", "batch_size": 16, "io_size": 551936, "ws_size": 3358144, "time": 0.0235943, "power": 4.0}}"#
    static let k80Depthwise = #"{"path": "dataset/cuda_K80/depthwise_conv2d/resnet50v2-conv3_block4_2_conv_depthwise_16.json", "sample": {"filters": 128, "kernel": [3, 3], "strides": [2, 2], "padding": "valid", "dilation": [1, 1], "groups": 128, "input shape": [null, 14, 14, 128], "output shape": [null, 6, 6, 128], "workload": "conv2d", "batch_size": 16, "time": 0.17908600000000002, "power": 100.0, "memory": 0.07}}"#
}

@Suite struct DatasetTests {
    @Test func a100LineIsMillisecondsWattsAndDeviceAllocatedGiB() throws {
        let d = try Support.read(RealLines.a100)
        let s = try #require(d.samples.first)
        #expect(s.device == "a100")
        #expect(s.workload.kind == .conv2d)
        // 37×37 input, 1×1 kernel, stride 2, no padding applied: 19×19 (the record agrees).
        #expect(s.workload.outH == 19 && s.workload.outW == 19 && s.workload.outC == 728)
        #expect(s.measurements.latencyMs == 8.54098)
        #expect(s.measurements.powerW == 162.769)
        #expect(s.measurements.energyMJ == 8.54098 * 162.769)
        // Device-wide allocated memory, kept apart from per-layer memory.
        #expect(s.measurements.deviceAllocatedMiB == 0.4453125 * 1024)
        #expect(s.measurements.memoryMiB == nil)
    }

    @Test func k80LineDerivesOutputWithoutPadding() throws {
        let s = try #require(try Support.read(RealLines.k80).samples.first)
        #expect(s.device == "k80")
        #expect(s.workload.outH == 31 && s.workload.outW == 31)
        #expect(s.workload.padTop == 0 && s.workload.padLeft == 0)
        #expect(s.measurements.latencyMs == 2.74741)
        #expect(s.measurements.deviceAllocatedMiB == 0.067626953125 * 1024)
    }

    @Test func gtx980tiPoolReadsSplitStridesAndIgnoresTransposedRecord() throws {
        let s = try #require(try Support.read(RealLines.gtx980ti).samples.first)
        #expect(s.device == "gtx980ti")
        #expect(s.workload.kind == .avgPool2d)
        #expect(s.workload.strideH == 4 && s.workload.strideW == 4)
        // (135 − 2) / 4 + 1 = 34 by 33; the record says 33 × 34 (transposed).
        #expect(s.workload.outH == 34 && s.workload.outW == 33 && s.workload.outC == 1771)
    }

    @Test func xeonDenseHasNoMemory() throws {
        let s = try #require(try Support.read(RealLines.xeon).samples.first)
        #expect(s.device == "xeon")
        #expect(s.workload == LayerWorkload.dense(batch: 16, inputs: 2171, units: 3971, bias: false))
        #expect(s.measurements.latencyMs == 8.90002)
        #expect(s.measurements.powerW == 102)
        #expect(s.measurements.deviceAllocatedMiB == nil && s.measurements.memoryMiB == nil)
    }

    @Test func i7SwappedPoolNameTrustsWorkloadField() throws {
        let s = try #require(try Support.read(RealLines.i7).samples.first)
        #expect(s.origin.contains("random_avg_pool"))
        #expect(s.workload.kind == .maxPool2d)
        #expect(s.workload.outH == 4 && s.workload.outW == 4)
        #expect(s.measurements.latencyMs == 0.250941)
    }

    @Test func pi4TimeIsSecondsAndMemoryIsIoPlusWorkspace() throws {
        let s = try #require(try Support.read(RealLines.pi4).samples.first)
        #expect(s.device == "pi4")
        #expect(abs(s.measurements.latencyMs! - 18.2392) < 1e-9)
        #expect(s.measurements.powerW == 3.88945)
        #expect(s.measurements.ioBytes == 592704 && s.measurements.workspaceBytes == 1242304)
        #expect(s.measurements.memoryMiB == Double(592704 + 1242304) / 1_048_576)
        #expect(s.measurements.deviceAllocatedMiB == nil)
        // io_size is the computed output: 42×42×84 floats.
        #expect(s.workload.outputElements * 4 == 592704)
    }

    @Test func depthwiseAndDilatedAreToldApartByGroupsAndDilation() throws {
        let dil = try #require(try Support.read(RealLines.pi4Dilated).samples.first)
        #expect(dil.workload.isDilated && dil.workload.dilationH == 2 && dil.subtype == "dilated")
        let dw = try #require(try Support.read(RealLines.k80Depthwise).samples.first)
        #expect(dw.workload.isDepthwise && dw.workload.groups == 128 && dw.subtype == "depthwise")
        #expect(dw.workload.outH == 6)
    }

    @Test func piTimeReadAsMillisecondsWouldBreakPhysics() throws {
        // The same Pi line claimed for a device whose time is in ms is 1000× too fast for a 48 GFLOP/s device:
        // a CPU-side line with a tiny time gets rejected by the physics check.
        let fast = RealLines.xeon.replacingOccurrences(of: "\"time\": 8.90002", with: "\"time\": 0.00000890002")
        let d = try Support.read(fast)
        #expect(d.samples.isEmpty)
        #expect(d.rejected.count == 1)
        #expect(d.rejected[0].reason.contains("exceeds the xeon peak"))
        #expect(d.rejected[0].source == "data.jsonl:1")
    }

    @Test func malformedLinesNameFileAndLine() throws {
        let cases: [(String, String)] = [
            ("{\"path\": \"dataset/cuda_A100/x\", \"sample\": {", "data.jsonl:2: malformed JSON"),
            (RealLines.a100.replacingOccurrences(of: "\"time\": 8.54098, ", with: ""), "data.jsonl:2: missing 'time'"),
            (RealLines.a100.replacingOccurrences(of: "\"workload\": \"conv2d\"", with: "\"workload\": \"lstm\""), "data.jsonl:2: unknown workload 'lstm'"),
            (RealLines.a100.replacingOccurrences(of: "\"groups\": 1", with: "\"groups\": 3"), "data.jsonl:2: groups 3 must divide"),
            (RealLines.a100.replacingOccurrences(of: "\"time\": 8.54098", with: "\"time\": -1"), "data.jsonl:2: 'time' must be positive"),
            ("[1, 2]", "data.jsonl:2: neither a Sponner line"),
            (RealLines.a100.replacingOccurrences(of: "[null, 37, 37, 256]", with: "[null, 37, \"x\", 256]"), "data.jsonl:2: 'input shape' must be"),
        ]
        for (bad, expected) in cases {
            let text = RealLines.a100 + "\n" + bad + "\n"
            do {
                _ = try Support.read(text)
                Issue.record("no error for \(expected)")
            } catch let e as PredictorError {
                #expect(e.description.hasPrefix(expected), "\(e.description)")
                #expect(!e.description.contains("\n"))
            }
        }
    }

    @Test func lineFromAnotherDeviceIsAnError() throws {
        #expect(throws: PredictorError.self) { try Support.read(RealLines.k80, device: .a100) }
        do { _ = try Support.read(RealLines.k80, device: .a100) } catch let e as PredictorError {
            #expect(e.description.hasPrefix("data.jsonl:1: the line is from device 'k80'"))
        }
    }

    @Test func blankLinesAreSkippedAndLinesCounted() throws {
        let d = try Support.read("\n" + RealLines.a100 + "\n\n" + RealLines.a100 + "\n")
        #expect(d.samples.map(\.source) == ["data.jsonl:2", "data.jsonl:4"])
        #expect(d.lineCount == 2)
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test(.enabled(if: Support.sharedData != nil, "needs ../shared/data/sponner"))
    func everySharedFileReadsWithoutRejections() throws {
        let expected = ["a100": 160, "k80": 156, "gtx980ti": 150, "xeon": 127, "i7": 158, "pi4": 210]
        for (id, count) in expected {
            let spec = try #require(DeviceSpec.named(id))
            let d = try DatasetReader.read(path: Support.sharedData!.appendingPathComponent("\(id).jsonl").path, device: spec)
            #expect(d.samples.count + d.rejected.count == count, "\(id)")
            #expect(d.rejected.isEmpty, "\(id): \(d.rejected)")
            for s in d.samples {
                let rate = Double(s.workload.flops) / (s.measurements.latencyMs! / 1000)
                #expect(rate <= spec.peakFlops)
            }
        }
    }
}

@Suite struct ProfileLineTests {
    /// The example line of docs/profiling-format.md.
    static let ok = #"{"category":"conv","device":"host","energy_mj":null,"energy_unavailable":"no readable RAPL counter","format_version":1,"implementation":["brgconv:avx512_core"],"label":"alexnet:conv1","latency_iqr_ms":0.024168999999999996,"latency_max_ms":0.698497,"latency_min_ms":0.638598,"latency_ms":0.640521,"load_avg_1m":1.69,"memory":{"input_bytes":602112,"output_bytes":774400,"scratchpad_bytes":12288,"total_bytes":1481984,"weights_bytes":93184},"memory_bytes":1481984,"memory_mib":1.413330078125,"metadata":{"backend":"host","cpu_model":"AMD EPYC","device_id":"host","isa":"avx512_core_bf16","library":"oneDNN","library_version":"2.6.3","logical_cpus":2,"threads":2},"outliers":2,"power_unavailable":"no readable RAPL counter","power_w":null,"samples":10,"settings":{"repeats":10,"warmup":2},"status":"ok","timestamp":"2026-11-25T02:40:27Z","workload":{"activation":"relu","batch":1,"bias":true,"dilation_h":1,"dilation_w":1,"groups":1,"in_c":3,"in_h":224,"in_w":224,"kernel_h":11,"kernel_w":11,"kind":"conv2d","out_c":64,"out_h":55,"out_w":55,"pad_bottom":2,"pad_left":2,"pad_right":2,"pad_top":2,"stride_h":4,"stride_w":4}}"#
    static let failed = #"{"category":"dense","device":"host","error":"dnnl_primitive_desc_create failed","format_version":1,"label":"random","status":"failed","workload":{"batch":1,"in_c":100,"in_h":1,"in_w":1,"kind":"dense","out_c":10,"out_h":1,"out_w":1}}"#

    @Test func okLineKeepsTheWorkloadAndNormalisesMemory() throws {
        let d = try Support.read(Self.ok, name: "host.jsonl")
        let s = try #require(d.samples.first)
        #expect(d.format == "nas-profile")
        #expect(s.device == "host")
        #expect(s.origin == "alexnet:conv1")
        #expect(s.workload.kernelH == 11 && s.workload.padTop == 2 && s.workload.activation == .relu && s.workload.bias)
        #expect(s.measurements.latencyMs == 0.640521)
        #expect(s.measurements.powerW == nil)
        // Output + scratchpad: the same meaning as the Pi's io_size + ws_size.
        #expect(s.measurements.memoryMiB == Double(774400 + 12288) / 1_048_576)
    }

    @Test func failedLinesAndACutOffLastLineAreSkippedWithAReason() throws {
        let cut = String(Self.ok.prefix(120))
        let d = try Support.read(Self.ok + "\n" + Self.failed + "\n" + cut, name: "host.jsonl")
        #expect(d.samples.count == 1)
        #expect(d.rejected.map(\.source) == ["host.jsonl:2", "host.jsonl:3"])
        #expect(d.rejected[0].reason == "status failed: dnnl_primitive_desc_create failed")
        #expect(d.rejected[1].reason.contains("incomplete last line"))
    }

    @Test func badProfileLinesNameFileAndLine() {
        let cases: [(String, String)] = [
            (Self.ok.replacingOccurrences(of: "\"latency_ms\":0.640521,", with: ""), "host.jsonl:1: an ok line needs 'latency_ms'"),
            (Self.ok.replacingOccurrences(of: "\"in_c\":3,", with: ""), "host.jsonl:1: 'workload' is not a layer workload (missing 'in_c')"),
            (Self.ok.replacingOccurrences(of: "\"format_version\":1", with: "\"format_version\":2"), "host.jsonl:1: format_version 2 is newer"),
            (Self.ok.replacingOccurrences(of: "\"device\":\"host\"", with: "\"device\":\"pi4\""), "host.jsonl:1: the line is from device 'pi4', not 'host'"),
        ]
        for (line, expected) in cases {
            do {
                _ = try Support.read(line + "\n", name: "host.jsonl", device: expected.contains("pi4") ? .xu4Named("host") : nil)
                Issue.record("accepted: \(expected)")
            } catch let e as PredictorError {
                #expect(e.description.hasPrefix(expected), "\(e)")
            } catch { Issue.record("\(error)") }
        }
    }

    @Test func unknownKeysWrongTypesAndUnknownStatusesNameFileAndLine() {
        let cases: [(String, String)] = [
            (Self.failed.replacingOccurrences(of: "\"label\"", with: "\"lable\""), "host.jsonl:2: unknown key 'lable'"),
            (Self.failed.replacingOccurrences(of: "\"device\":\"host\"", with: "\"device\":7"), "host.jsonl:2: 'device' must be a string"),
            (Self.failed.replacingOccurrences(of: "\"format_version\":1", with: "\"format_version\":\"1\""), "host.jsonl:2: 'format_version' must be an integer"),
            (Self.failed.replacingOccurrences(of: "\"failed\"", with: "\"lost\""), "host.jsonl:2: 'status' must be ok, failed or skipped, got 'lost'"),
            (Self.failed.replacingOccurrences(of: "\"in_c\":100", with: "\"in_c\":\"100\""), "host.jsonl:2: 'workload' is not a layer workload ('in_c' must be an integer)"),
            (Self.failed.replacingOccurrences(of: "\"status\"", with: "\"memory\":{\"output_bytes\":1},\"status\""), "host.jsonl:2: 'memory' needs non-negative integers 'output_bytes' and 'scratchpad_bytes'"),
        ]
        for (line, expected) in cases {
            do {
                _ = try Support.read(Self.failed + "\n" + line + "\n", name: "host.jsonl")
                Issue.record("accepted: \(expected)")
            } catch let e as PredictorError {
                #expect(e.description == expected)
            } catch { Issue.record("\(error)") }
        }
    }
}

extension DeviceSpec {
    /// A spec with another id, for device-mismatch tests without detecting the host.
    static func xu4Named(_ id: String) -> DeviceSpec { var s = DeviceSpec.xu4; s.id = id; return s }
}

@Suite struct GzipTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip"), "needs /bin/gzip"))
    func gzippedFilesReadLikePlainOnes() throws {
        let dir = try Support.temporaryDirectory()
        let plain = try Support.write(ProfileLineTests.ok + "\n", name: "host.jsonl", in: dir)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-k", "-n", plain]
        try p.run()
        p.waitUntilExit()
        let a = try DatasetReader.read(path: plain), b = try DatasetReader.read(path: plain + ".gz")
        #expect(a.samples.map(\.workload) == b.samples.map(\.workload))
        #expect(a.samples.map(\.measurements) == b.samples.map(\.measurements))
        #expect(a.sha256 == b.sha256)
        // Gzip is told by its first bytes, not by its name.
        let renamed = dir.appendingPathComponent("renamed.jsonl").path
        try FileManager.default.copyItem(atPath: plain + ".gz", toPath: renamed)
        #expect(try DatasetReader.read(path: renamed).samples.map(\.workload) == a.samples.map(\.workload))
        #expect(try DataFile.contents(path: renamed) == DataFile.contents(path: plain))
        #expect(DataFile.isGzip(try Data(contentsOf: URL(fileURLWithPath: renamed))) && !DataFile.isGzip(Data("{}".utf8)))
    }
}
