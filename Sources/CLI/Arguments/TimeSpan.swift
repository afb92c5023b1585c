import ArgumentParser
import NASMeasurement

/// A length of time as people write it: `30m`, `2h`, `1h30m`, `90s`, or plain seconds (read by NASMeasurement's
/// `parseDuration`, which also says what is wrong with a bad one).
struct TimeSpan: ArgumentValue, Hashable, CustomStringConvertible {
    let seconds: Double
    private let written: String

    init(parsingArgument text: String) throws {
        seconds = try parseDuration(text)
        written = text
    }

    var description: String { written }
}
