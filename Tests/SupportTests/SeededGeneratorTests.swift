import Foundation
import Testing
import NASSupport

@Suite struct SeededGeneratorTests {
    @Test func splitMix64MatchesTheReferenceStream() {
        // The first outputs of the reference C implementation (Vigna's splitmix64.c) for seed 0.
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func derivedStreamsDifferAndRepeat() {
        #expect(SplitMix64.derive(7, 1) == SplitMix64.derive(7, 1))
        #expect(SplitMix64.derive(7, 1) != SplitMix64.derive(7, 2))
        #expect(SplitMix64.derive(7, 1) != SplitMix64.derive(8, 1))
    }

    @Test func uniformStaysInItsInterval() {
        var g = SplitMix64(seed: 99)
        for _ in 0..<10_000 {
            let u = g.uniform()
            #expect(u >= 0 && u < 1)
            let f = g.uniform(-2, 3)
            #expect(f >= -2 && f < 3)
            #expect((0..<7).contains(g.int(7)))
        }
    }

    @Test func xoshiroBelowIsUniformAndInRange() {
        var r = SeededRandom(seed: 42)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[r.below(6)] += 1 }
        // Each bin expects 10,000; 5 standard deviations is about ±456.
        for c in counts { #expect(abs(c - 10_000) < 460, "\(counts)") }
        var a = SeededRandom(seed: 5), b = SeededRandom(seed: 5)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
    }

    @Test func sampleDrawsDistinctIndices() {
        var r = SeededRandom(seed: 3)
        let s = r.sample(10, of: 12)
        #expect(Set(s).count == 10 && s.allSatisfy { (0..<12).contains($0) })
    }
}
