/// A `--backend` argument: `host`, or `agent:COMMAND …` for a process that speaks the agent protocol.
public enum BackendChoice: Equatable, Sendable, CustomStringConvertible {
    case host
    case agent(command: String)

    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "host" {
            self = .host
        } else if t.hasPrefix("agent:") {
            let command = String(t.dropFirst("agent:".count)).trimmingCharacters(in: .whitespaces)
            guard !command.isEmpty else {
                throw MeasurementError.invalidSettings("--backend agent: needs a command, e.g. agent:'ssh pi@raspberrypi nas agent'")
            }
            self = .agent(command: command)
        } else {
            throw MeasurementError.invalidSettings("unknown backend '\(text)' (use host or agent:'COMMAND …')")
        }
    }

    public var description: String {
        switch self {
        case .host: return "host"
        case .agent(let c): return "agent:\(c)"
        }
    }

    /// Starts the backend. For an agent this spawns the command and exchanges hello.
    public func make(requestTimeout: Double = AgentBackend.defaultTimeout) throws -> MeasurementBackend {
        switch self {
        case .host: return try HostBackend()
        case .agent(let c): return try AgentBackend(command: c, requestTimeout: requestTimeout)
        }
    }
}

import Foundation
