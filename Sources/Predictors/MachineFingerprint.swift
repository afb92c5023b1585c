import NASArchitecture

/// What makes host measurements from one machine valid on another: the same CPU, the same number of
/// logical CPUs, the same oneDNN build dispatching to the same instruction set.
///
/// A host bundle records the fingerprints its profiles were taken on (from each line's `metadata`), and the
/// catalog compares them with the machine nas runs on: a host predictor moved to another machine is reported
/// uncalibrated rather than quietly predicting for hardware it never saw. The thread count is recorded
/// for the reader but not compared, since one machine is profiled at whichever count the user chose.
public struct MachineFingerprint: Hashable, Sendable, Comparable {
    public var cpuModel: String
    public var logicalCPUs: Int
    /// The ISA oneDNN dispatched to (`dnnl_get_effective_cpu_isa`), e.g. `avx2`, `avx512_core_bf16`.
    public var isa: String
    /// The measuring library and its version, e.g. `oneDNN 2.6.3`.
    public var library: String
    public var threads: Int?

    public init(cpuModel: String, logicalCPUs: Int, isa: String, library: String, threads: Int? = nil) {
        self.cpuModel = cpuModel; self.logicalCPUs = logicalCPUs; self.isa = isa
        self.library = library; self.threads = threads
    }

    /// From a profile line's `metadata`; nil where it lacks the CPU model, CPU count or ISA.
    init?(metadata: JSONValue) {
        guard let model = metadata["cpu_model"]?.stringValue, let cpus = metadata["logical_cpus"]?.intValue,
              let isa = metadata["isa"]?.stringValue else { return nil }
        let library = [metadata["library"]?.stringValue, metadata["library_version"]?.stringValue].compactMap { $0 }
        self.init(cpuModel: model, logicalCPUs: cpus, isa: isa,
                  library: library.isEmpty ? "unknown" : library.joined(separator: " "), threads: metadata["threads"]?.intValue)
    }

    /// The compared fields in which this machine differs from `recorded`, e.g. "ISA avx2 (recorded: avx512_core)".
    public func differences(from recorded: MachineFingerprint) -> [String] {
        var out: [String] = []
        if cpuModel != recorded.cpuModel { out.append("CPU '\(cpuModel)' (recorded: '\(recorded.cpuModel)')") }
        if logicalCPUs != recorded.logicalCPUs { out.append("\(logicalCPUs) logical CPUs (recorded: \(recorded.logicalCPUs))") }
        if isa != recorded.isa { out.append("ISA \(isa) (recorded: \(recorded.isa))") }
        if library != recorded.library { out.append("\(library) (recorded: \(recorded.library))") }
        return out
    }

    public var description: String {
        "\(cpuModel), \(logicalCPUs) logical CPUs, \(library) on \(isa)" + (threads.map { ", \($0) thread\($0 == 1 ? "" : "s")" } ?? "")
    }

    public static func < (a: MachineFingerprint, b: MachineFingerprint) -> Bool { a.description < b.description }

    var json: JSONValue {
        var o: [String: JSONValue] = ["cpu_model": .string(cpuModel), "logical_cpus": JSONValue(logicalCPUs),
                                      "isa": .string(isa), "library": .string(library)]
        if let threads { o["threads"] = JSONValue(threads) }
        return .object(o)
    }

    init?(json: JSONValue) {
        guard let model = json["cpu_model"]?.stringValue, let cpus = json["logical_cpus"]?.intValue,
              let isa = json["isa"]?.stringValue, let library = json["library"]?.stringValue else { return nil }
        self.init(cpuModel: model, logicalCPUs: cpus, isa: isa, library: library, threads: json["threads"]?.intValue)
    }
}
