import Dispatch
import Foundation
import NASArchitecture
import NASSupport

/// A user's command that scores an architecture, e.g. by training it: it is run through `/bin/sh -c` with
/// the architecture JSON path appended, and the last non-empty line of its standard output must be one number.
/// A non-zero exit, a timeout or unreadable output become a failure recorded on the candidate.
public struct ExternalQuality: QualityEstimator {
    public let command: String
    public let timeoutSeconds: Double
    /// Where the architecture files handed to the command are written.
    public let directory: String

    public init(command: String, timeoutSeconds: Double, directory: String) {
        self.command = command; self.timeoutSeconds = timeoutSeconds; self.directory = directory
    }

    public var name: String { "external" }
    public var settings: [String: String] { ["command": command, "timeout_s": Quantity.formatNumber(timeoutSeconds)] }
    public var note: String? { nil }

    public func quality(of network: ResolvedNetwork) -> QualityOutcome {
        let arch = network.architecture
        let path = (directory as NSString).appendingPathComponent("\(arch.name).json")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicFile.write(arch.jsonString(), to: path)
        } catch {
            return QualityOutcome(failure: "cannot write \(path): \(error)")
        }
        return run(path: path)
    }

    private func run(path: String) -> QualityOutcome {
        let out = path + ".stdout", err = path + ".stderr"
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        // The user's command runs under a shell of its own, so its parent is that shell and not nas: a command
        // that signals its parent or its process group cannot stop the search.
        let commandLine = "\(command) \(Self.shellQuote(path))"
        let exit: ChildExit
        do {
            exit = try ProcessGroupRunner.run(["/bin/sh", "-c", "/bin/sh -c \"$0\"; status=$?; exit $status", commandLine],
                                              stdout: out, stderr: err, timeout: timeoutSeconds)
        } catch {
            return QualityOutcome(failure: "\(error)")
        }
        if exit == .timedOut { return QualityOutcome(failure: "timed out after \(Quantity.formatNumber(timeoutSeconds)) s") }
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        let lastErr = stderr.split(whereSeparator: \.isNewline).last.map { ": \($0.prefix(200))" } ?? ""
        guard exit == .exited(0) else { return QualityOutcome(failure: "\(exit)\(lastErr)") }
        guard let line = stdout.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            return QualityOutcome(failure: "printed nothing on standard output")
        }
        let text = line.trimmingCharacters(in: .whitespaces)
        guard let v = DecimalNumber.parse(text) else {
            return QualityOutcome(failure: "last output line is not a decimal number: '\(text.prefix(100))'")
        }
        return QualityOutcome(value: v)
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
