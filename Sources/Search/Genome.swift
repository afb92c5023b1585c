import NASArchitecture

/// The genes of a search space and the decoding of a genotype into an `Architecture`.
public struct Genome: Hashable, Sendable {
    public let space: SearchSpace
    public let genes: [Gene]
    /// Index of each stage's depth gene; its width, downsampling and blocks follow it.
    private let stageOffsets: [Int]
    private let headOffset: Int

    public init(_ space: SearchSpace) {
        self.space = space
        var genes: [Gene] = [Gene(name: "stem.filters", role: .stemFilters, options: space.stem.filters.map(String.init))]
        var offsets: [Int] = []
        for (i, s) in space.stages.enumerated() {
            offsets.append(genes.count)
            genes.append(Gene(name: "\(s.name).depth", role: .depth(stage: i), options: s.depth.map(String.init)))
            genes.append(Gene(name: "\(s.name).width", role: .width(stage: i), options: s.widths.map(String.init)))
            genes.append(Gene(name: "\(s.name).downsample", role: .downsampling(stage: i),
                              options: s.downsampling.map(\.rawValue)))
            for p in 0..<s.depth.upperBound {
                genes.append(Gene(name: "\(s.name).block\(p + 1)", role: .block(stage: i, position: p),
                                  options: s.blocks.map(\.description)))
            }
        }
        headOffset = genes.count
        genes.append(Gene(name: "head.pooling", role: .headPooling, options: space.head.pooling.map(\.rawValue)))
        genes.append(Gene(name: "head.dense_count", role: .denseCount, options: space.head.denseCount.map(String.init)))
        for p in 0..<space.head.denseCount.upperBound {
            genes.append(Gene(name: "head.dense\(p + 1).width", role: .denseWidth(position: p),
                              options: space.head.denseWidths.map(String.init)))
        }
        self.genes = genes
        stageOffsets = offsets
    }

    /// Number of distinct genotypes (inactive genes included), as a Double because it overflows Int.
    public var genotypeCount: Double { genes.reduce(1.0) { $0 * Double($1.options.count) } }

    /// Throws when `g` does not fit this genome.
    public func check(_ g: Genotype) throws {
        guard g.genes.count == genes.count else {
            throw SearchError("genotype has \(g.genes.count) genes, space '\(space.name)' has \(genes.count)")
        }
        for (i, (v, gene)) in zip(g.genes, genes).enumerated() where !(0..<gene.options.count).contains(v) {
            throw SearchError("gene \(i) '\(gene.name)' is \(v), outside 0..<\(gene.options.count)")
        }
    }

    func depth(_ g: Genotype, stage: Int) -> Int { space.stages[stage].depth.lowerBound + g.genes[stageOffsets[stage]] }
    func denseCount(_ g: Genotype) -> Int { space.head.denseCount.lowerBound + g.genes[headOffset + 1] }

    /// Whether gene `index` affects the architecture of `g`.
    public func isActive(_ index: Int, in g: Genotype) -> Bool {
        switch genes[index].role {
        case .block(let stage, let position): return position < depth(g, stage: stage)
        case .denseWidth(let position): return position < denseCount(g)
        default: return true
        }
    }

    /// `g` with every inactive gene set to 0, and the first block of a stride-2 stage set to the first option
    /// that differs from it only in dilation (which a downsampling block drops): genotypes decode to equal
    /// architectures exactly when their canonical forms are equal.
    public func canonical(_ g: Genotype) -> Genotype {
        var c = g
        for i in c.genes.indices where !isActive(i, in: g) { c.genes[i] = 0 }
        for (i, s) in space.stages.enumerated() where s.downsampling[g.genes[stageOffsets[i] + 2]] == .stride2 {
            let first = stageOffsets[i] + 3
            let b = s.blocks[g.genes[first]]
            c.genes[first] = s.blocks.firstIndex { $0.kind == b.kind && $0.kernel == b.kernel }!
        }
        return c
    }

    /// The network a genotype stands for. Convolutions use "same" padding, folded BatchNorm and ReLU.
    public func architecture(_ g: Genotype) throws -> Architecture {
        try check(g)
        var layers: [Layer] = []
        func conv(_ name: String, filters: Int?, kernel: Int, stride: Int = 1, dilation: Int = 1, depthwise: Bool = false) {
            let c = Conv2D(filters: filters, kernelH: kernel, kernelW: kernel, strideH: stride, strideW: stride,
                           padding: .same, dilationH: dilation, dilationW: dilation, depthwise: depthwise,
                           useBias: false, batchNorm: true, activation: .relu)
            layers.append(Layer(name: name, .conv2d(c)))
        }
        conv("stem", filters: space.stem.filters[g.genes[0]], kernel: space.stem.kernel, stride: space.stem.stride)
        for (i, s) in space.stages.enumerated() {
            let o = stageOffsets[i]
            let width = s.widths[g.genes[o + 1]]
            let down = s.downsampling[g.genes[o + 2]]
            let prefix = "s\(i + 1)"
            switch down {
            case .maxPool:
                layers.append(Layer(name: "\(prefix)_maxpool", .maxPool2d(Pool2D(poolH: 2, poolW: 2, padding: .same))))
            case .avgPool:
                layers.append(Layer(name: "\(prefix)_avgpool", .avgPool2d(Pool2D(poolH: 2, poolW: 2, padding: .same))))
            case .none, .stride2:
                break
            }
            for p in 0..<depth(g, stage: i) {
                let block = s.blocks[g.genes[o + 3 + p]]
                let stride = p == 0 && down == .stride2 ? 2 : 1
                // Keras and TensorFlow reject stride > 1 together with dilation > 1, so a downsampling block is not dilated.
                let dilation = stride > 1 ? 1 : block.dilation
                let name = "\(prefix)b\(p + 1)"
                switch block.kind {
                case .conv:
                    conv("\(name)_conv\(block.kernel)x\(block.kernel)", filters: width, kernel: block.kernel,
                         stride: stride, dilation: dilation)
                case .sep:
                    conv("\(name)_dw\(block.kernel)x\(block.kernel)", filters: nil, kernel: block.kernel,
                         stride: stride, dilation: dilation, depthwise: true)
                    conv("\(name)_pw", filters: width, kernel: 1)
                }
            }
        }
        switch space.head.pooling[g.genes[headOffset]] {
        case .globalAverage: layers.append(Layer(name: "head_pool", .globalAvgPool2d))
        case .flatten: layers.append(Layer(name: "head_flatten", .flatten))
        }
        for p in 0..<denseCount(g) {
            let units = space.head.denseWidths[g.genes[headOffset + 2 + p]]
            layers.append(Layer(name: "head_dense\(p + 1)", .dense(Dense(units: units, activation: .relu))))
        }
        layers.append(Layer(name: "classifier", .dense(Dense(units: space.classes, activation: .softmax))))
        return Architecture(name: "\(space.name)-\(canonical(g).genes.map(String.init).joined(separator: "."))",
                            inputH: space.inputH, inputW: space.inputW, inputC: space.inputC,
                            batch: space.batch, layers: layers)
    }
}
