import Foundation

/// Where `nas calibrate` keeps this machine's host predictor: outside the source tree, one folder per
/// machine fingerprint and thread count, `$XDG_DATA_HOME/nas/devices/host-<key>-<N>t/` (by default under
/// `~/.local/share`). The folder is a bundles root: its `host/` is the bundle the catalog loads.
public enum CalibrationStore {
    /// `$XDG_DATA_HOME/nas/devices`, else `$HOME/.local/share/nas/devices`; nil without either.
    public static var root: String? {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/nas/devices" }
        if let home = env["HOME"], !home.isEmpty { return home + "/.local/share/nas/devices" }
        return nil
    }

    /// The folder of a calibration of `machine` at `threads`.
    public static func directory(for machine: MachineFingerprint, threads: Int) -> String? {
        root.map { "\($0)/host-\(machine.key)-\(threads)t" }
    }

    /// The calibrated host bundle of `machine`, preferring one thread (the shipped convention), else the fewest threads.
    public static func hostBundle(for machine: MachineFingerprint) -> String? {
        guard let root, let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return nil }
        let prefix = "host-\(machine.key)-"
        let threadCounts = names.compactMap { name -> Int? in
            guard name.hasPrefix(prefix), name.hasSuffix("t") else { return nil }
            return Int(name.dropFirst(prefix.count).dropLast())
        }
        for threads in threadCounts.sorted() {
            let bundle = "\(root)/\(prefix)\(threads)t/host"
            if FileManager.default.fileExists(atPath: bundle + "/" + BundleManifest.fileName) { return bundle }
        }
        return nil
    }
}

extension MachineFingerprint {
    /// Twelve hex digits of the SHA-256 of the compared fields: a folder name that changes when they do.
    public var key: String {
        String(SHA256.hex(Array("\(cpuModel)|\(logicalCPUs)|\(isa)|\(library)".utf8)).prefix(12))
    }
}
