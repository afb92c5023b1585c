import ArgumentParser
import NASMeasurement

/// Range checks of numeric options, for `validate()`: the message names the option, the range and the value given.
enum OptionCheck {
    static func atLeast(_ minimum: Int, _ value: Int, _ option: String) throws {
        guard value >= minimum else { throw ValidationError("\(option) must be at least \(minimum), got \(value)") }
    }

    static func atLeast(_ minimum: Int, _ value: Int?, _ option: String) throws {
        if let value { try atLeast(minimum, value, option) }
    }

    static let maxSeconds = 1e6

    /// A timeout: a finite number of seconds above zero and at most `maxSeconds` (11.6 days), so that no
    /// deadline arithmetic downstream can overflow.
    static func seconds(_ value: Double?, _ option: String) throws {
        guard let value else { return }
        guard value.isFinite, value > 0, value <= maxSeconds else {
            throw ValidationError("\(option) must be a finite number of seconds above 0 and at most \(Int(maxSeconds)), got \(value)")
        }
    }

    /// `--backend host` measures this machine, so it can check the host's predictions only.
    static func backend(_ backend: BackendChoice, canMeasure device: DeviceID?) throws {
        guard backend == .host, let device, device != .host else { return }
        throw ValidationError("--backend host measures this machine, not \(device); use --device host, or an agent running on \(device)")
    }

    /// `--warmup`, `--repeats` and `--threads` as measurement settings; NASMeasurement says which is out of range.
    static func measurement(warmup: Int, repeats: Int, threads: Int?) throws -> MeasurementSettings {
        do {
            return try MeasurementSettings(warmup: warmup, repeats: repeats, threads: threads).validated()
        } catch let e as MeasurementError {
            throw ValidationError(e.description)
        }
    }
}
