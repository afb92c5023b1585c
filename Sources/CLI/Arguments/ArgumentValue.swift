import ArgumentParser

/// A command-line value read from one word, whose reading can fail with a reason.
///
/// swift-argument-parser prints no reason when `init?(argument:)` returns nil, only "The value 'x' is invalid for
/// '--option'"; an option declared with `transform: T.parse` prints that line followed by the reason thrown. Both
/// read the value the same way.
protocol ArgumentValue: ExpressibleByArgument {
    init(parsingArgument text: String) throws
}

extension ArgumentValue {
    init?(argument: String) {
        guard let value = try? Self(parsingArgument: argument) else { return nil }
        self = value
    }

    /// For `@Option(transform:)`.
    static func parse(_ text: String) throws -> Self { try Self(parsingArgument: text) }
}

/// The reason shown after swift-argument-parser's "The value 'V' is invalid for '--option <v>': ".
///
/// The Search and Measurement parsers start their messages with the option (`--quality 'x': …`) because elsewhere
/// (config.json, budget files) the message is all the reader sees; here the line names the option and the value
/// already, so that lead is dropped and a lead naming one entry of a list is kept.
struct ArgumentReason: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error, option: String, value: String) {
        let message = "\(error)"
        let lead = ["\(option) '\(value)': ", "\(option): ", "\(option) "].first { message.hasPrefix($0) }
        description = lead.map { String(message.dropFirst($0.count)) } ?? message
    }

    /// `read(text)`, with its error turned into the reason for `option`.
    static func reading<T>(_ text: String, option: String, _ read: (String) throws -> T) throws -> T {
        do { return try read(text) } catch { throw ArgumentReason(error, option: option, value: text) }
    }
}
