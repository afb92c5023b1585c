import Testing
@testable import NASMeasurement

@Suite struct CPUInfoTests {
    static let epyc = """
    processor\t: 0
    vendor_id\t: AuthenticAMD
    model name\t: AMD EPYC 7B13
    cpu MHz\t\t: 2450.000
    flags\t\t: fpu sse sse2 avx fma avx2

    processor\t: 1
    model name\t: AMD EPYC 7B13
    cpu MHz\t\t: 2999.000
    flags\t\t: fpu sse sse2 avx fma avx2 avx512f
    """

    static let pi = """
    processor\t: 0
    Features\t: fp asimd evtstrm crc32 cpuid
    processor\t: 1
    Features\t: fp asimd evtstrm crc32 cpuid

    Hardware\t: BCM2835
    Model\t\t: Raspberry Pi 4 Model B Rev 1.4
    """

    @Test func x86TakesTheFirstClockAndFlagListAndCountsProcessors() {
        let c = CPUInfo(parsing: Self.epyc)
        #expect(c.model == "AMD EPYC 7B13")
        #expect(c.processors == 2)
        #expect(c.clockMHz == 2450)
        // The first flag list has no avx512f: the second processor's must not leak in.
        #expect(c.vectorISA.fp32FlopsPerCycle == 32)
        #expect(c.vectorISA.name.hasPrefix("AVX2"))
    }

    @Test func armPrefersModelOverHardwareAndHasNoClock() {
        let c = CPUInfo(parsing: Self.pi)
        #expect(c.model == "Raspberry Pi 4 Model B Rev 1.4")
        #expect(c.clockMHz == nil)
        #expect(c.vectorISA.name == "NEON" && c.vectorISA.fp32FlopsPerCycle == 8)
    }

    @Test func isaLadder() {
        func perCycle(_ flags: String) -> Double { CPUInfo(parsing: "flags : \(flags)").vectorISA.fp32FlopsPerCycle }
        #expect(perCycle("avx512f fma avx2 avx") == 64)
        #expect(perCycle("avx512f avx2 avx") == 16) // no FMA: AVX-512 alone is not counted as FMA throughput
        #expect(perCycle("avx") == 16)
        #expect(perCycle("sse sse2") == 8)
    }

    @Test func unreadableOrOddTextGivesSafeDefaults() {
        let c = CPUInfo(parsing: "cpu MHz : nan\ncpu MHz : 1800\nmodel name :\ngarbage")
        #expect(c.model == "unknown")
        #expect(c.processors == 1)
        #expect(c.clockMHz == 1800) // nan is refused; the first usable value is taken
    }

    @Test func bandwidthIsRoundedToTwoFigures() {
        #expect(MemoryBandwidthProbe.roundedToTwoFigures(12_345_678_901) == 12_000_000_000)
        #expect(MemoryBandwidthProbe.roundedToTwoFigures(9_876) == 9_900)
    }
}
