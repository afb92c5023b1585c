import Foundation
import NASArchitecture
import Synchronization

/// The predictors `nas` ships, one per device, loaded once per process and shared (so their memos are too).
///
/// Bundles live in the package as a SwiftPM resource of NASPredictors (`Sources/Predictors/Resources/bundles/ID/`),
/// so `nas` needs no `../shared` at run time. The environment variable `NAS_BUNDLES` may name another
/// directory with `ID/manifest.json` bundles; it is searched first. A device without a bundle (the host
/// before anyone profiled it) gets the analytic roofline model, marked uncalibrated.
public enum PredictorCatalog {
    /// Every device id `nas` knows, in display order.
    public static let deviceIDs: [String] = DeviceSpec.allIDs

    private static let loaded = Mutex<[String: DevicePredictor]>([:])

    /// The directory holding the shipped bundles.
    public static var shippedDirectory: String? {
        Bundle.module.resourceURL?.appendingPathComponent("bundles").path
    }

    /// The bundle directory used for `device`, if there is one.
    public static func bundleDirectory(device: String) -> String? {
        var roots: [String] = []
        if let env = ProcessInfo.processInfo.environment["NAS_BUNDLES"], !env.isEmpty { roots.append(env) }
        if let shipped = shippedDirectory { roots.append(shipped) }
        for root in roots {
            let dir = (root as NSString).appendingPathComponent(device)
            if FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(BundleManifest.fileName)) {
                return dir
            }
        }
        return nil
    }

    /// Ids of the devices with a bundle on disk.
    public static var shippedDevices: [String] { deviceIDs.filter { bundleDirectory(device: $0) != nil } }

    /// The shared predictor of `device`. Throws for an unknown id, or naming the file of a corrupt bundle.
    public static func load(device: String) throws -> DevicePredictor {
        if let p = loaded.withLock({ $0[device] }) { return p }
        guard let spec = DeviceSpec.named(device) else {
            throw PredictorError("unknown device '\(device)' (known: \(deviceIDs.joined(separator: ", ")))")
        }
        let predictor: DevicePredictor
        if let dir = bundleDirectory(device: device) {
            let bundled = try DevicePredictor(directory: dir)
            guard bundled.spec.id == device else {
                throw PredictorError(file: (dir as NSString).appendingPathComponent(BundleManifest.fileName),
                                     "the bundle is for device '\(bundled.spec.id)', not '\(device)'")
            }
            // A host bundle describes the machine it was profiled on; elsewhere it would be wrong.
            if device == "host", bundled.spec.name != spec.name {
                predictor = .uncalibrated(spec: spec, reason: "uncalibrated: the host bundle was profiled on '\(bundled.spec.name)', not this machine ('\(spec.name)'); run nas profile --backend host, then nas train --device host")
            } else {
                predictor = bundled
            }
        } else if device == "host" {
            predictor = .uncalibrated(spec: spec, reason: "uncalibrated: no host profiling run yet (nas profile --backend host, then nas train --device host)")
        } else {
            predictor = .uncalibrated(spec: spec)
        }
        return loaded.withLock { cache in
            if let existing = cache[device] { return existing }
            cache[device] = predictor
            return predictor
        }
    }
}
