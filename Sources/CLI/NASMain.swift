import ArgumentParser
import Foundation

extension NASCommand {
    /// The `nas` executable's entry point: ArgumentParser's `main()`, except that a failure is reported in exactly
    /// one line on stderr, `Error: <why>`, with the same exit status.
    ///
    /// ArgumentParser follows a usage error with the usage and help lines, and a message can carry a newline
    /// from the input itself (a layer named "a\nb", a key with a newline): scripts and agents that read the error
    /// line would see a second line that is not an error. The help screen (`--help`, or `nas` alone) is printed
    /// as before.
    public static func runReportingOneLineErrors(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        if arguments.isEmpty { main(arguments); exit(withError: nil) }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let text = message(for: error)
            let status = exitCode(for: error)
            guard !status.isSuccess, !text.isEmpty else { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(oneLine(text))\n".utf8))
            exit(withError: status)
        }
        exit(withError: nil)
    }

    /// `text` on one line: line breaks are written as the escapes `\n` and `\r` so that nothing of the message is lost.
    static func oneLine(_ text: String) -> String {
        var out = ""
        for scalar in text.trimmingCharacters(in: .newlines).unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
