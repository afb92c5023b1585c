import NASArchitecture

/// A space of sequential convolutional networks: a fixed input, a stem, stages of blocks and a head,
/// with a set of choices at each of them (docs/search-space-format.md).
public struct SearchSpace: Hashable, Sendable {
    public var name: String
    public var description: String
    public var inputH: Int
    public var inputW: Int
    public var inputC: Int
    public var classes: Int
    public var batch: Int
    public var stem: Stem
    public var stages: [Stage]
    public var head: Head

    public init(name: String, description: String = "", inputH: Int, inputW: Int, inputC: Int, classes: Int,
                batch: Int = 1, stem: Stem, stages: [Stage], head: Head) {
        self.name = name; self.description = description
        self.inputH = inputH; self.inputW = inputW; self.inputC = inputC
        self.classes = classes; self.batch = batch
        self.stem = stem; self.stages = stages; self.head = head
    }

    /// A convolution on the input, before the stages.
    public struct Stem: Hashable, Sendable {
        public var filters: [Int]
        public var kernel: Int
        public var stride: Int
        public init(filters: [Int], kernel: Int, stride: Int) {
            self.filters = filters; self.kernel = kernel; self.stride = stride
        }
    }

    /// A run of blocks of one width at one resolution, optionally downsampling on entry.
    public struct Stage: Hashable, Sendable {
        public var name: String
        public var depth: ClosedRange<Int>
        public var blocks: [BlockType]
        public var widths: [Int]
        public var downsampling: [Downsampling]
        public init(name: String, depth: ClosedRange<Int>, blocks: [BlockType], widths: [Int], downsampling: [Downsampling]) {
            self.name = name; self.depth = depth; self.blocks = blocks; self.widths = widths; self.downsampling = downsampling
        }
    }

    /// Pooling to a flat vector, then optional hidden dense layers; the classifier follows.
    public struct Head: Hashable, Sendable {
        public var pooling: [HeadPooling]
        public var denseCount: ClosedRange<Int>
        public var denseWidths: [Int]
        public init(pooling: [HeadPooling], denseCount: ClosedRange<Int>, denseWidths: [Int]) {
            self.pooling = pooling; self.denseCount = denseCount; self.denseWidths = denseWidths
        }
    }
}

/// How a stage reduces the resolution by two on entry.
public enum Downsampling: String, CaseIterable, Hashable, Sendable {
    case none
    /// The stage's first block runs with stride 2.
    case stride2
    /// A 2×2 pool with stride 2 before the first block.
    case maxPool = "max_pool"
    case avgPool = "avg_pool"
}

public enum HeadPooling: String, CaseIterable, Hashable, Sendable {
    case globalAverage = "global_avg"
    case flatten
}
