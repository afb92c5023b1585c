import NASArchitecture

/// The genes of a search space and the decoding of a genotype into an `Architecture`.
public struct Genome: Hashable, Sendable {
    public let space: SearchSpace
    public let genes: [Gene]
    /// Index of each stage's depth gene; its width, downsampling and blocks follow it.
    private let stageOffsets: [Int]
    private let headOffset: Int
    /// Lookup tables derived from `space`, for the per-genotype work.
    private let tables: Tables

    /// A function of `space` alone, so it takes no part in equality.
    private struct Tables: Hashable, Sendable {
        /// Per gene: it is active when gene `gene` is above `above` (a depth or dense count), or always (`gene` < 0).
        var activation: [(gene: Int, above: Int)] = []
        var optionCounts: [Int] = []
        /// Per stage: its downsampling gene, which options are stride 2, its first block gene, and per block
        /// option the first option of the same kind and kernel (the block a stride-2 block decodes to).
        var stages: [(downsampling: Int, stride2: [Bool], firstBlock: Int, undilated: [Int])] = []
        /// Layer names per stage: max-pool and avg-pool; per block position and option, the (first) layer;
        /// per block position, a separable block's pointwise layer. Then the hidden dense layers.
        var pools: [(max: String, avg: String)] = []
        var blockNames: [[[String]]] = []
        var pointwiseNames: [[String]] = []
        /// Per block position and option, an inverted residual's layers (empty for the other kinds).
        var invertedResidualNames: [[[InvertedResidualNames]]] = []
        var denseNames: [String] = []

        static func == (a: Tables, b: Tables) -> Bool { true }
        func hash(into h: inout Hasher) {}
    }

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
        var t = Tables()
        for gene in genes {
            switch gene.role {
            case .block(let stage, let position):
                t.activation.append((offsets[stage], position - space.stages[stage].depth.lowerBound))
            case .denseWidth(let position):
                t.activation.append((headOffset + 1, position - space.head.denseCount.lowerBound))
            default:
                t.activation.append((-1, 0))
            }
            t.optionCounts.append(gene.options.count)
        }
        for (i, s) in space.stages.enumerated() {
            t.stages.append((downsampling: offsets[i] + 2, stride2: s.downsampling.map { $0 == .stride2 }, firstBlock: offsets[i] + 3,
                             undilated: s.blocks.map { b in
                                 s.blocks.firstIndex { $0.kind == b.kind && $0.kernel == b.kernel && $0.expansion == b.expansion }!
                             }))
            let prefix = "s\(i + 1)"
            t.pools.append((max: "\(prefix)_maxpool", avg: "\(prefix)_avgpool"))
            t.blockNames.append((0..<s.depth.upperBound).map { p in
                s.blocks.map { b in
                    let kind = b.kind == .conv ? "conv" : b.kind == .sep ? "dw" : "mb\(b.expansion)_"
                    return "\(prefix)b\(p + 1)_" + kind + "\(b.kernel)x\(b.kernel)"
                }
            })
            t.invertedResidualNames.append((0..<s.depth.upperBound).map { p in
                s.blocks.map { b in b.kind == .mb ? InvertedResidualNames(block: "\(prefix)b\(p + 1)") : InvertedResidualNames() }
            })
            t.pointwiseNames.append((0..<s.depth.upperBound).map { p in "\(prefix)b\(p + 1)_pw" })
        }
        t.denseNames = (0..<space.head.denseCount.upperBound).map { p in "head_dense\(p + 1)" }
        tables = t
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
        let a = tables.activation[index]
        return a.gene < 0 || g.genes[a.gene] > a.above
    }

    /// Options of gene `index`.
    func optionCount(_ index: Int) -> Int { tables.optionCounts[index] }

    /// `g` with every inactive gene set to 0, and the first block of a stride-2 stage set to the first option
    /// that differs from it only in dilation (which a downsampling block drops): genotypes decode to equal
    /// architectures exactly when their canonical forms are equal.
    public func canonical(_ g: Genotype) -> Genotype {
        var c = g
        c.genes.withUnsafeMutableBufferPointer { out in
            for (i, a) in tables.activation.enumerated() where a.gene >= 0 && g.genes[a.gene] <= a.above { out[i] = 0 }
            for s in tables.stages where s.stride2[g.genes[s.downsampling]] {
                out[s.firstBlock] = s.undilated[g.genes[s.firstBlock]]
            }
        }
        return c
    }

    /// The network a genotype stands for. Convolutions use "same" padding, folded BatchNorm and ReLU.
    public func architecture(_ g: Genotype) throws -> Architecture {
        try check(g)
        var layers: [Layer] = []
        layers.reserveCapacity(4 + 2 * space.stages.reduce(0) { $0 + $1.depth.upperBound } + space.head.denseCount.upperBound)
        func conv(_ name: String, filters: Int?, kernel: Int, stride: Int = 1, dilation: Int = 1, depthwise: Bool = false,
                  activation: ActivationFunction? = .relu) {
            let c = Conv2D(filters: filters, kernelH: kernel, kernelW: kernel, strideH: stride, strideW: stride,
                           padding: .same, dilationH: dilation, dilationW: dilation, depthwise: depthwise,
                           useBias: false, batchNorm: true, activation: activation)
            layers.append(Layer(name: name, .conv2d(c)))
        }
        var channels = space.stem.filters[g.genes[0]]
        conv("stem", filters: channels, kernel: space.stem.kernel, stride: space.stem.stride)
        for (i, s) in space.stages.enumerated() {
            let o = stageOffsets[i]
            let width = s.widths[g.genes[o + 1]]
            let down = s.downsampling[g.genes[o + 2]]
            switch down {
            case .maxPool:
                layers.append(Layer(name: tables.pools[i].max, .maxPool2d(Pool2D(poolH: 2, poolW: 2, padding: .same))))
            case .avgPool:
                layers.append(Layer(name: tables.pools[i].avg, .avgPool2d(Pool2D(poolH: 2, poolW: 2, padding: .same))))
            case .none, .stride2:
                break
            }
            for p in 0..<depth(g, stage: i) {
                let option = g.genes[o + 3 + p]
                let block = s.blocks[option]
                let stride = p == 0 && down == .stride2 ? 2 : 1
                // Keras and TensorFlow reject stride > 1 together with dilation > 1, so a downsampling block is not dilated.
                let dilation = stride > 1 ? 1 : block.dilation
                let name = tables.blockNames[i][p][option]
                switch block.kind {
                case .conv:
                    conv(name, filters: width, kernel: block.kernel, stride: stride, dilation: dilation)
                case .sep:
                    conv(name, filters: nil, kernel: block.kernel, stride: stride, dilation: dilation, depthwise: true)
                    conv(tables.pointwiseNames[i][p], filters: width, kernel: 1)
                case .mb:
                    // MobileNetV2: ReLU6 after expansion and depthwise, a linear projection, the skip where shapes allow.
                    let names = tables.invertedResidualNames[i][p][option]
                    let source = layers[layers.count - 1].name
                    if block.expansion > 1 {
                        conv(names.expand, filters: channels * block.expansion, kernel: 1, activation: .relu6)
                    }
                    conv(names.depthwise, filters: nil, kernel: block.kernel, stride: stride, depthwise: true, activation: .relu6)
                    conv(names.project, filters: width, kernel: 1, activation: nil)
                    if stride == 1 && channels == width {
                        layers.append(Layer(name: names.add, .add(Add()), inputs: [source, names.project]))
                    }
                }
                channels = width
            }
        }
        switch space.head.pooling[g.genes[headOffset]] {
        case .globalAverage: layers.append(Layer(name: "head_pool", .globalAvgPool2d))
        case .flatten: layers.append(Layer(name: "head_flatten", .flatten))
        }
        for p in 0..<denseCount(g) {
            let units = space.head.denseWidths[g.genes[headOffset + 2 + p]]
            layers.append(Layer(name: tables.denseNames[p], .dense(Dense(units: units, activation: .relu))))
        }
        layers.append(Layer(name: "classifier", .dense(Dense(units: space.classes, activation: .softmax))))
        return Architecture(name: name(g), inputH: space.inputH, inputW: space.inputW, inputC: space.inputC,
                            batch: space.batch, layers: layers)
    }

    /// `SPACE-g0.g1.…` over the canonical genotype: equal exactly for equal architectures.
    public func name(_ g: Genotype) -> String {
        var bytes = Array(space.name.utf8)
        bytes.reserveCapacity(bytes.count + 1 + 3 * g.genes.count)
        bytes.append(UInt8(ascii: "-"))
        for (i, v) in canonical(g).genes.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ".")) }
            if (0..<10).contains(v) { bytes.append(UInt8(ascii: "0") + UInt8(v)) } else { bytes += String(v).utf8 }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The layer names of one inverted residual block, made once per space rather than per decoded genotype.
struct InvertedResidualNames: Hashable, Sendable {
    var expand = "", depthwise = "", project = "", add = ""
    init() {}
    init(block: String) {
        expand = block + "_expand"; depthwise = block + "_dw"; project = block + "_project"; add = block + "_add"
    }
}
