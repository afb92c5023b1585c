#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// How a child run by `ProcessGroupRunner` ended.
public enum ChildExit: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)
    case timedOut
    /// `waitpid` failed (another part of the process reaped the child): its outcome is unknown, never success.
    case unobserved(String)

    public var description: String {
        switch self {
        case .exited(let code): return "exited with status \(code)"
        case .signalled(let signal): return "was killed by signal \(signal)"
        case .timedOut: return "timed out"
        case .unobserved(let why): return "ended unobserved (\(why))"
        }
    }
}

/// Why a child process could not be run.
public struct ChildProcessError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs an untrusted command so that it cannot outlive its timeout, hang `nas`, or take `nas` down.
///
/// The command runs in a process group of its own, so a timeout signals every process it started (a background
/// child keeping a file open included), and nothing it sends to "its" group reaches `nas`. Standard input is
/// /dev/null, standard output and error go to files (no pipe a forgotten child could keep open). After the
/// command ends, whatever is left of its group is killed.
public enum ProcessGroupRunner {
    /// Runs `arguments` (the first one an absolute path) and waits at most `timeout` seconds; then sends SIGTERM
    /// to the group and, `grace` seconds later, SIGKILL.
    public static func run(_ arguments: [String], stdout: String, stderr: String, timeout: Double,
                           grace: Double = 2) throws -> ChildExit {
        guard timeout.isFinite, timeout > 0 else {
            throw ChildProcessError("the timeout must be a finite number of seconds above 0, got \(timeout)")
        }
        let pid = try spawn(arguments, stdout: stdout, stderr: stderr)
        switch waitForExit(pid, seconds: timeout) {
        case .exited(let status)?:
            kill(-pid, SIGKILL)
            return decode(status)
        case .failed(let why)?:
            kill(-pid, SIGKILL)
            return .unobserved(why)
        case nil: break
        }
        kill(-pid, SIGTERM)
        if waitForExit(pid, seconds: grace) == nil {
            kill(-pid, SIGKILL)
            _ = waitForExit(pid, seconds: .infinity)
        }
        kill(-pid, SIGKILL)
        return .timedOut
    }

    private static func spawn(_ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all); sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard rc == 0 else { throw ChildProcessError("cannot start \(arguments[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    private enum Wait { case exited(Int32), failed(String) }

    /// The raw wait status once `pid` has exited, or nil after `seconds`. Polls: the commands run here take
    /// seconds, and polling needs no SIGCHLD handler that could race with other child-process code.
    private static func waitForExit(_ pid: pid_t, seconds: Double) -> Wait? {
        let deadline = Date().addingTimeInterval(min(seconds, 1e9))
        var pause: UInt32 = 1_000
        while true {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return .exited(status) }
            if r < 0 && errno != EINTR { return .failed("waitpid: \(String(cString: strerror(errno)))") }
            if Date() >= deadline { return nil }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    private static func decode(_ status: Int32) -> ChildExit {
        status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
    }
}
