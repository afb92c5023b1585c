import ArgumentParser
import Foundation
import NASMeasurement

/// `nas agent`: serve the agent protocol on stdin/stdout for a remote `--backend agent:'…'`.
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Answer agent-protocol requests (JSON lines) on stdin/stdout, measuring on this machine.",
        discussion: """
            Speaks protocol version \(AgentProtocol.version) (docs/agent-protocol.md): hello, measure_layer, \
            measure_network and shutdown. Another nas reaches it with --backend agent:'ssh HOST nas agent'. \
            Only protocol lines go to stdout; the options below are the defaults for requests without settings.
            """
    )

    @Option(help: "Timed runs when a request gives no settings.") var repeats = 20
    @Option(help: "Untimed runs when a request gives no settings.") var warmup = 3
    @Option(help: "CPU threads when a request gives no settings.") var threads: Int?

    func validate() throws {
        _ = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
    }

    func run() throws {
        let defaults = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        AgentServer(backend: try HostBackend(), defaults: defaults).serve()
    }
}
