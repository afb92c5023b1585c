import NASMeasurement
import NASPredictors

/// Connects the two halves of the `host` device: Measurement reads and measures the machine,
/// Predictors builds its roofline spec from the figures. The `nas` executable calls `install()` first thing.
public enum HostDeviceSetup {
    public static func install() {
        DeviceSpec.provideHost { figures(from: HostFacts.read()) }
    }

    static func figures(from facts: HostFacts) -> HostFigures {
        let isa = facts.cpu.vectorISA
        return HostFigures(
            cpuModel: facts.cpu.model == "unknown" ? "unknown CPU" : facts.cpu.model,
            logicalCPUs: facts.logicalCPUs,
            clockMHz: facts.cpu.clockMHz ?? 2000,
            isa: facts.cpu.clockMHz == nil ? isa.name + "; no cpu MHz in /proc/cpuinfo, 2000 MHz assumed" : isa.name,
            fp32FlopsPerCycle: isa.fp32FlopsPerCycle,
            memoryBandwidth: facts.memoryBandwidth,
            bandwidthSource: "measured by a 64 MiB copy calibration at start-up",
            memoryBytes: facts.memoryBytes,
            fingerprint: MachineFingerprint(cpuModel: HostInfo.cpuModel, logicalCPUs: HostInfo.logicalCPUs,
                                            isa: facts.dnnlISA, library: "oneDNN \(facts.dnnlVersion)"))
    }
}
