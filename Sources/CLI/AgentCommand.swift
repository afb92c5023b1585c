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
            Only protocol lines go to stdout; the options below are the defaults for requests without settings. \
            Every request is untrusted: settings are range-checked, a line may hold at most \
            \(AgentLimits().maxLineBytes >> 20) MiB and a network at most \(AgentLimits().maxLayers) layers, and a \
            request over a limit gets an error reply while the agent goes on serving.
            """
    )

    @Option(help: "Timed runs when a request gives no settings.") var repeats = 20
    @Option(help: "Untimed runs when a request gives no settings.") var warmup = 3
    @Option(help: "CPU threads when a request gives no settings.") var threads: Int?
    @Option(help: "Longest the runs of one measurement may take, in seconds; a request over it gets an error reply.")
    var maxRequestSeconds: Double = 300

    func validate() throws {
        _ = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        try OptionCheck.seconds(maxRequestSeconds, "--max-request-seconds")
    }

    func run() throws {
        let defaults = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        let backend = try HostBackend()
        backend.maxRunSeconds = maxRequestSeconds
        AgentServer(backend: backend, defaults: defaults).serve()
    }
}
