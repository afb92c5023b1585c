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

    /// The bundle directory used for `device`, if there is one: `NAS_BUNDLES`, then (for the host) this
    /// machine's calibration in `CalibrationStore`, then the shipped bundles.
    public static func bundleDirectory(device: String) -> String? {
        var roots: [String] = []
        if let env = ProcessInfo.processInfo.environment["NAS_BUNDLES"], !env.isEmpty { roots.append(env) }
        for root in roots {
            let dir = (root as NSString).appendingPathComponent(device)
            if FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(BundleManifest.fileName)) {
                return dir
            }
        }
        // This machine's own calibration (`nas calibrate`) comes before the shipped host bundle of another machine.
        if device == "host", let machine = DeviceSpec.hostFingerprint, let calibrated = CalibrationStore.hostBundle(for: machine) {
            return calibrated
        }
        guard let shipped = shippedDirectory else { return nil }
        let dir = (shipped as NSString).appendingPathComponent(device)
        return FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(BundleManifest.fileName)) ? dir : nil
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
            if device == "host", let mismatch = hostMismatch(bundled.manifest, this: spec, fingerprint: DeviceSpec.hostFingerprint) {
                predictor = .uncalibrated(spec: spec, reason: "uncalibrated: \(mismatch); \(HostCalibration.advice)")
            } else {
                predictor = bundled
            }
        } else if device == "host" {
            predictor = .uncalibrated(spec: spec, reason: "uncalibrated: no host profiling run yet; \(HostCalibration.advice)")
        } else {
            predictor = .uncalibrated(spec: spec)
        }
        return loaded.withLock { cache in
            if let existing = cache[device] { return existing }
            cache[device] = predictor
            return predictor
        }
    }

    /// Why a host bundle does not describe this machine, or nil if it does.
    ///
    /// A host bundle belongs to the machine it was profiled on. Bundles that record their machines'
    /// fingerprints are compared field by field; older ones only by the device name they were trained under.
    static func hostMismatch(_ manifest: BundleManifest, this spec: DeviceSpec, fingerprint: MachineFingerprint?) -> String? {
        let recorded = Set(manifest.trainingData.flatMap(\.machines))
        guard !recorded.isEmpty else {
            return manifest.device.name == spec.name ? nil
                : "the host bundle was profiled on '\(manifest.device.name)', not this machine ('\(spec.name)')"
        }
        guard let here = fingerprint else {
            return "this machine's CPU and oneDNN ISA were not read, so the host bundle (profiled on \(recorded.sorted()[0].description)) cannot be matched to it"
        }
        for machine in recorded.sorted() {
            let differences = here.differences(from: machine)
            if !differences.isEmpty {
                return "the host bundle was profiled on another machine (\(machine.description)); this one has \(differences.joined(separator: ", "))"
            }
        }
        return nil
    }
}
