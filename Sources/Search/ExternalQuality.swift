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
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        guard let outHandle = FileHandle(forWritingAtPath: out), let errHandle = FileHandle(forWritingAtPath: err) else {
            return QualityOutcome(failure: "cannot create output files next to \(path)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "\(command) \(Self.shellQuote(path))"]
        p.standardOutput = outHandle
        p.standardError = errHandle
        p.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        do { try p.run() } catch {
            return QualityOutcome(failure: "cannot start /bin/sh: \(error)")
        }
        if done.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            p.terminate()
            if done.wait(timeout: .now() + 5) == .timedOut { kill(p.processIdentifier, SIGKILL); done.wait() }
            return QualityOutcome(failure: "timed out after \(Quantity.formatNumber(timeoutSeconds)) s")
        }
        try? outHandle.close(); try? errHandle.close()
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        let lastErr = stderr.split(whereSeparator: \.isNewline).last.map { ": \($0.prefix(200))" } ?? ""
        guard p.terminationStatus == 0 else {
            return QualityOutcome(failure: "exited with status \(p.terminationStatus)\(lastErr)")
        }
        guard let line = stdout.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            return QualityOutcome(failure: "printed nothing on standard output")
        }
        let text = line.trimmingCharacters(in: .whitespaces)
        guard let v = Double(text), v.isFinite else {
            return QualityOutcome(failure: "last output line is not a number: '\(text.prefix(100))'")
        }
        return QualityOutcome(value: v)
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
