import Foundation
import NASArchitecture
import Testing
@testable import NASSearch
import NASSupport

@Suite struct QualityTests {
    func network() throws -> ResolvedNetwork {
        let genome = Genome(try Fixtures.space("fashion-mnist-28"))
        var rng = SeededRandom(seed: 1)
        return try genome.architecture(genome.random(&rng)).resolved()
    }

    func external(_ command: String) throws -> QualityOutcome {
        let q = ExternalQuality(command: command, timeoutSeconds: 60, directory: try Fixtures.temporaryDirectory())
        return q.quality(of: try network())
    }

    @Test func capacityBaselines() throws {
        let net = try network()
        #expect(CapacityQuality(.params).quality(of: net).value == Double(net.figures().params))
        #expect(CapacityQuality(.flops).quality(of: net).value == Double(net.figures().flops))
    }

    @Test func externalCommandReadsTheLastLine() throws {
        #expect(try external("echo training; echo 0.875 #").value == 0.875)
        // The architecture path is appended: the command can read the file.
        #expect(try external("python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))[\"layers\"]))'").value
                == Double(try network().layers.count))
    }

    @Test func externalFailuresAreRecorded() throws {
        #expect(try external("echo oops >&2; exit 3 #").failure == "exited with status 3: oops")
        #expect(try external("echo 0x10 #").failure == "last output line is not a decimal number: '0x10'")
        #expect(try external("echo accuracy: high #").failure == "last output line is not a decimal number: 'accuracy: high'")
        #expect(try external("true #").failure == "printed nothing on standard output")
    }

    func external(_ command: String, timeout: Double) throws -> (QualityOutcome, seconds: Double) {
        let q = ExternalQuality(command: command, timeoutSeconds: timeout, directory: try Fixtures.temporaryDirectory())
        let net = try network()
        let start = Date()
        let outcome = q.quality(of: net)
        return (outcome, Date().timeIntervalSince(start))
    }

    /// A hostile or broken command is stopped at its timeout with everything it started, and cannot stop nas.
    /// The bounds on seconds are generous (a slow CI machine); without the process group they are 100 s.
    @Test func externalCommandsCannotOutliveTheTimeoutOrHurtNas() throws {
        let sleeper = try external("sleep 100 #", timeout: 1)
        #expect(sleeper.0.failure == "timed out after 1 s")
        #expect(sleeper.seconds < 30)
        let background = try external("(sleep 100 &) ; sleep 100 #", timeout: 1)
        #expect(background.0.failure == "timed out after 1 s")
        #expect(background.seconds < 30)
        // A finished command's background child holding standard output open does not hold up the result.
        let leftover = try external("sleep 100 & echo 0.5 #", timeout: 60)
        #expect(leftover.0.value == 0.5)
        #expect(leftover.seconds < 30)
        // Signalling its parent or its process group ends the command, not this test process.
        #expect(try external("kill -9 $PPID; sleep 5 #", timeout: 60).0.failure != nil)
        #expect(try external("kill -TERM 0 #", timeout: 60).0.failure != nil)
        #expect(try external("echo 0.25 #").value == 0.25)
    }

    @Test func specsParse() throws {
        #expect(try QualitySpec.parse("synflow") == .synflow(resolution: QualitySpec.defaultSynflowResolution))
        #expect(try QualitySpec.parse("synflow:full") == .synflow(resolution: nil))
        #expect(try QualitySpec.parse("synflow:64") == .synflow(resolution: 64))
        #expect(try QualitySpec.parse("external:python3 train.py", timeoutSeconds: 5) == .external(command: "python3 train.py", timeoutSeconds: 5))
        #expect(throws: SearchError("--quality 'accuracy': unknown estimator (use params, flops, synflow, synflow:full, synflow:N or external:COMMAND)")) {
            try QualitySpec.parse("accuracy")
        }
        #expect(throws: SearchError("--quality 'external:': the command is missing")) { try QualitySpec.parse("external:") }
        for s in ["params", "flops", "synflow:112", "synflow:full", "external:./score.sh"] {
            #expect(try QualitySpec.parse(s).description == s)
        }
    }
}
