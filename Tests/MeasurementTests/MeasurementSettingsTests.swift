import Foundation
import Testing
import NASMeasurement

/// Every number a user or an agent client passes for a measurement is checked before anything is allocated
/// or a thread is started.
@Suite struct MeasurementSettingsTests {
    func error(_ s: MeasurementSettings) -> String? {
        do { _ = try s.validated(); return nil } catch { return "\(error)" }
    }

    @Test func ordinarySettingsPass() {
        #expect(error(MeasurementSettings()) == nil)
        #expect(error(MeasurementSettings(warmup: 0, repeats: 1, threads: 1)) == nil)
        #expect(error(MeasurementSettings(warmup: 1_000_000, repeats: 1_000_000, threads: MeasurementSettings.maxThreads)) == nil)
    }

    @Test func outOfRangeValuesNameTheRange() {
        let cpus4 = 4 * ProcessInfo.processInfo.activeProcessorCount
        #expect(error(MeasurementSettings(warmup: -1)) == "warmup must be within 0...1000000, got -1")
        #expect(error(MeasurementSettings(repeats: 0)) == "repeats must be within 1...1000000, got 0")
        #expect(error(MeasurementSettings(repeats: 1 << 31)) == "repeats must be within 1...1000000, got 2147483648")
        #expect(error(MeasurementSettings(threads: 100_000))
                == "threads must be within 1...\(cpus4) (4 per logical CPU), got 100000")
        #expect(error(MeasurementSettings(threads: 0))?.hasPrefix("threads must be within 1...") == true)
    }
}
