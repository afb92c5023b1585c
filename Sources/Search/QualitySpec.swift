import Foundation

/// The `--quality` choice, as written in config.json so that a resumed run rebuilds the same estimator.
public enum QualitySpec: Hashable, Sendable, CustomStringConvertible {
    case params
    case flops
    /// Synflow with the longer input side reduced to `resolution` when larger; nil is full resolution.
    case synflow(resolution: Int?)
    case external(command: String, timeoutSeconds: Double)

    /// Inputs larger than this are scored at this resolution by default: on a 100-network sample of
    /// mobile-224 its Spearman rank correlation with full resolution was 0.987 (docs/search.md).
    public static let defaultSynflowResolution = 112
    public static let defaultExternalTimeout = 3600.0

    /// `params`, `flops`, `synflow` (default resolution), `synflow:full`, `synflow:64`, `external:COMMAND`.
    public static func parse(_ text: String, timeoutSeconds: Double = defaultExternalTimeout) throws -> QualitySpec {
        switch text {
        case "params": return .params
        case "flops": return .flops
        case "synflow": return .synflow(resolution: defaultSynflowResolution)
        case "synflow:full": return .synflow(resolution: nil)
        default: break
        }
        if text.hasPrefix("synflow:") {
            let r = text.dropFirst("synflow:".count)
            guard let n = Int(r), n >= 8, String(n) == r else {
                throw SearchError("--quality '\(text)': synflow resolution must be 'full' or an integer ≥ 8")
            }
            return .synflow(resolution: n)
        }
        if text.hasPrefix("external:") {
            let command = text.dropFirst("external:".count).trimmingCharacters(in: .whitespaces)
            guard !command.isEmpty else { throw SearchError("--quality 'external:': the command is missing") }
            guard timeoutSeconds > 0 else { throw SearchError("--quality-timeout must be positive") }
            return .external(command: command, timeoutSeconds: timeoutSeconds)
        }
        throw SearchError("--quality '\(text)': unknown estimator (use params, flops, synflow, synflow:full, synflow:N or external:COMMAND)")
    }

    public var description: String {
        switch self {
        case .params: return "params"
        case .flops: return "flops"
        case .synflow(let r): return "synflow:" + (r.map(String.init) ?? "full")
        case .external(let c, _): return "external:\(c)"
        }
    }

    /// The estimator for `space`; synflow's weights come from `seed`, external files go to `directory`.
    public func make(space: SearchSpace, seed: UInt64, directory: String) -> any QualityEstimator {
        switch self {
        case .params: return CapacityQuality(.params)
        case .flops: return CapacityQuality(.flops)
        case .synflow(let r): return SynflowQuality(seed: seed, resolution: r, inputH: space.inputH, inputW: space.inputW)
        case .external(let c, let t): return ExternalQuality(command: c, timeoutSeconds: t, directory: directory)
        }
    }
}
