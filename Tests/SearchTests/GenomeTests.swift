import Foundation
import NASArchitecture
import Testing
@testable import NASSearch
import NASSupport

@Suite struct GenomeTests {
    @Test(arguments: Fixtures.shippedSpaces)
    func everySampledGenotypePassesShapeInference(_ name: String) throws {
        let genome = Genome(try Fixtures.space(name))
        for seed in UInt64(0)..<40 {
            var rng = SeededRandom(seed: seed)
            for _ in 0..<25 {
                var g = genome.random(&rng)
                let net = try genome.architecture(g).resolved()
                #expect(net.output == .flat(genome.space.classes))
                g = genome.mutate(g, &rng)
                _ = try genome.architecture(g).resolved()
                let (c, d) = genome.crossover(g, genome.random(&rng), &rng)
                _ = try genome.architecture(genome.mutateEach(c, &rng)).resolved()
                _ = try genome.architecture(d).resolved()
            }
        }
    }

    @Test func decodesTheChoices() throws {
        let space = try SearchSpace(json: Data(SearchSpaceTests.valid.utf8))
        let genome = Genome(space)
        #expect(genome.genes.map(\.name) == ["stem.filters", "a.depth", "a.width", "a.downsample", "a.block1", "a.block2",
                                             "head.pooling", "head.dense_count", "head.dense1.width"])
        // stem 16, depth 2, width 8, stride2, blocks sep5x5_d2 then conv3x3, global pool, one dense of 32.
        let g: Genotype = [1, 1, 0, 1, 1, 0, 0, 1, 0]
        let a = try genome.architecture(g)
        #expect(a.layers.map(\.name) == ["stem", "s1b1_dw5x5", "s1b1_pw", "s1b2_conv3x3", "head_pool", "head_dense1", "classifier"])
        let net = try a.resolved()
        #expect(net.layers[1].output == .spatial(h: 16, w: 16, c: 16))
        guard case .conv2d(let dw) = a.layers[1].operation else { Issue.record("not a conv"); return }
        // The downsampling block runs with stride 2 and, as Keras requires, without dilation.
        #expect(dw.depthwise && dw.strideH == 2 && dw.dilationH == 1)
        #expect(net.layers[3].output == .spatial(h: 16, w: 16, c: 8))
        #expect(net.output == .flat(10))
    }

    @Test func canonicalFormIgnoresInactiveGenes() throws {
        let genome = Genome(try SearchSpace(json: Data(SearchSpaceTests.valid.utf8)))
        let a: Genotype = [0, 0, 0, 0, 1, 1, 0, 0, 0]
        let b: Genotype = [0, 0, 0, 0, 1, 0, 0, 0, 0]
        #expect(genome.canonical(a) == genome.canonical(b))
        #expect(try genome.architecture(a) == genome.architecture(b))
        #expect(genome.mutableGenes(of: a) == [0, 1, 2, 3, 4, 7])
        // With stride 2 the first block is not dilated, so sep5x5_d2 there is the same network as it would be undilated.
        let space = try Fixtures.space("cifar-32")
        let cifar = Genome(space)
        var rng = SeededRandom(seed: 2)
        for _ in 0..<300 {
            let x = cifar.random(&rng), y = cifar.random(&rng)
            #expect((cifar.canonical(x) == cifar.canonical(y)) == (try cifar.architecture(x).layers == cifar.architecture(y).layers))
            var z = x
            let stage2 = cifar.genes.firstIndex { $0.name == "stage2.downsample" }!
            z.genes[stage2] = space.stages[1].downsampling.firstIndex(of: .stride2)!
            var w = z
            w.genes[stage2 + 1] = space.stages[1].blocks.firstIndex(of: BlockType(kind: .conv, kernel: 3))!
            z.genes[stage2 + 1] = space.stages[1].blocks.firstIndex(of: BlockType(kind: .conv, kernel: 3, dilation: 2))!
            #expect(cifar.canonical(z) == cifar.canonical(w))
            #expect(try cifar.architecture(z).layers == cifar.architecture(w).layers)
        }
    }

    @Test func mutationChangesExactlyOneActiveGene() throws {
        let genome = Genome(try Fixtures.space("cifar-32"))
        var rng = SeededRandom(seed: 3)
        for _ in 0..<200 {
            let g = genome.random(&rng)
            let m = genome.mutate(g, &rng)
            let changed = g.genes.indices.filter { g.genes[$0] != m.genes[$0] }
            #expect(changed.count == 1)
            #expect(genome.isActive(changed[0], in: g))
        }
    }

    @Test func genotypeOutOfRangeIsAnError() throws {
        let genome = Genome(try SearchSpace(json: Data(SearchSpaceTests.valid.utf8)))
        #expect(throws: SearchError("gene 2 'a.width' is 5, outside 0..<2")) { try genome.architecture([0, 0, 5, 0, 0, 0, 0, 0, 0]) }
        #expect(throws: SearchError("genotype has 2 genes, space 't' has 9")) { try genome.architecture([0, 0]) }
    }

    @Test func seededRandomIsReproducibleAndUniform() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        var r = SeededRandom(seed: 1)
        var counts = Array(repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[r.below(6)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    }

    @Test func splitMix64MatchesTheReferenceSequence() {
        var s = SplitMix64(seed: 0)
        #expect((0..<4).map { _ in s.next() } == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC])
    }
}
