import ArgumentParser
import NASSearch

/// `--quality params|flops|synflow|synflow:full|synflow:N|external:'COMMAND'`, read by the Search module's parser.
struct QualityArgument: ArgumentValue, Hashable, CustomStringConvertible {
    let spec: QualitySpec

    init(parsingArgument text: String) throws {
        spec = try ArgumentReason.reading(text, option: "--quality") { try QualitySpec.parse($0) }
    }

    private init(_ spec: QualitySpec) { self.spec = spec }

    /// Synflow at the default resolution: the estimator when `--quality` is left out.
    static let synflow = QualityArgument(.synflow(resolution: QualitySpec.defaultSynflowResolution))

    var isExternal: Bool {
        if case .external = spec { return true }
        return false
    }

    /// The estimator with `seconds` as an external command's timeout (the separate `--quality-timeout`).
    func timed(_ seconds: Double) -> QualitySpec {
        guard case .external(let command, _) = spec else { return spec }
        return .external(command: command, timeoutSeconds: seconds)
    }

    var description: String { spec.description }
}
