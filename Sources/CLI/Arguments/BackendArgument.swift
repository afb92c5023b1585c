import ArgumentParser
import NASMeasurement

/// `--backend host` or `--backend agent:'ssh pi@raspberrypi nas agent'`, read by NASMeasurement's own parser.
struct BackendArgument: ArgumentValue, Equatable, CustomStringConvertible {
    let choice: BackendChoice

    init(parsingArgument text: String) throws {
        choice = try ArgumentReason.reading(text, option: "--backend") { try BackendChoice(parsing: $0) }
    }

    private init(_ choice: BackendChoice) { self.choice = choice }

    /// This machine, through oneDNN.
    static let host = BackendArgument(.host)

    var description: String { choice.description }
}
