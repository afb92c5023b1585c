import Foundation
import NASArchitecture
import NASSupport

/// Extremely randomized trees for regression (Geurts, Ernst and Wehenkel, Machine Learning 63, 2006).
///
/// Each tree is grown on the whole training set (no bootstrap). At a node, every feature that varies
/// among the node's samples gets one cut-point drawn uniformly between its minimum and maximum there;
/// the cut with the largest variance reduction splits the node. Nodes with fewer than `minSamplesSplit`
/// samples or constant targets become leaves holding the mean target. The forest predicts the mean of
/// its trees. Defaults follow scikit-learn's `ExtraTreesRegressor` (100 trees, all features, split ≥ 2).
///
/// Nodes are stored in preorder, so a split node's left child is the next node and only the right
/// child's index is kept.
public struct ExtraTreesRegressor: Regressor {
    public static let family = RegressorFamily.extraTrees
    public static let defaultTrees = 100
    public static let defaultMinSamplesSplit = 2

    /// Index of each tree's root.
    public var roots: [Int32]
    /// Split feature, or -1 for a leaf.
    public var feature: [Int32]
    /// Split threshold (x < threshold goes left), or the leaf value.
    public var threshold: [Double]
    /// Index of the right child; -1 for leaves.
    public var right: [Int32]
    /// The same nodes packed into 8 bytes each for prediction (eight per cache line): the threshold or leaf
    /// value as a Float (exact, since fitting rounds both to Float), and the split feature (255 for a leaf)
    /// in the top byte of the right child's index.
    private var nodes: [Node] = []

    struct Node: Sendable {
        var value: Float
        var link: UInt32
        @inline(__always) var feature: Int { Int(link >> 24) }
        @inline(__always) var right: Int { Int(link & 0xFF_FFFF) }
        static let leaf = 255
    }

    init(roots: [Int32], feature: [Int32], threshold: [Double], right: [Int32]) {
        self.roots = roots; self.feature = feature; self.threshold = threshold; self.right = right
        pack()
    }

    private mutating func pack() {
        precondition(feature.count < (1 << 24) && Features.count < Node.leaf, "tree too large to pack")
        nodes = (0..<feature.count).map { i in
            let f = feature[i] < 0 ? UInt32(Node.leaf) : UInt32(feature[i])
            let r = right[i] < 0 ? 0 : UInt32(right[i])
            return Node(value: Float(threshold[i]), link: f << 24 | r)
        }
    }

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> ExtraTreesRegressor {
        try fit(X: X, y: y, seed: seed, trees: defaultTrees, minSamplesSplit: minSamplesSplit(samples: y.count))
    }

    /// scikit-learn's default (2) up to 95 samples; above, n / 32, which bounds a model to roughly 6,400 nodes
    /// (a few hundred kilobytes of JSON) however large the training set.
    public static func minSamplesSplit(samples n: Int) -> Int { max(defaultMinSamplesSplit, n / 32) }

    public static func fit(X: [[Double]], y: [Double], seed: UInt64, trees: Int, minSamplesSplit: Int) throws -> ExtraTreesRegressor {
        guard !y.isEmpty, X.count == y.count else { throw FitError("no samples") }
        var model = ExtraTreesRegressor(roots: [], feature: [], threshold: [], right: [])
        let d = X.first!.count
        for t in 0..<trees {
            var rng = SplitMix64(seed: seed &+ UInt64(t) &* 0x9E37_79B9)
            var indices = Array(0..<y.count)
            model.roots.append(Int32(model.feature.count))
            model.grow(X: X, y: y, indices: &indices[...], d: d, minSamplesSplit: minSamplesSplit, rng: &rng)
        }
        model.pack()
        return model
    }

    private mutating func grow(X: [[Double]], y: [Double], indices: inout ArraySlice<Int>, d: Int,
                               minSamplesSplit: Int, rng: inout SplitMix64) {
        let n = indices.count
        let mean = indices.reduce(0) { $0 + y[$1] } / Double(n)
        let node = feature.count
        func leaf() {
            feature.append(-1); threshold.append(shortFloat(mean)); right.append(-1)
        }
        let yMin = indices.map { y[$0] }.min()!, yMax = indices.map { y[$0] }.max()!
        if n < minSamplesSplit || yMax - yMin <= 1e-12 { leaf(); return }

        var bestScore = -Double.infinity
        var bestFeature = -1
        var bestThreshold = 0.0
        let total = indices.reduce(0) { $0 + y[$1] }
        for j in 0..<d {
            var lo = Double.infinity, hi = -Double.infinity
            for i in indices { lo = min(lo, X[i][j]); hi = max(hi, X[i][j]) }
            guard hi - lo > 1e-12 else { continue }
            let cut = shortFloat(lo + rng.uniform() * (hi - lo))
            var leftCount = 0
            var leftSum = 0.0
            for i in indices where X[i][j] < cut { leftCount += 1; leftSum += y[i] }
            guard leftCount > 0, leftCount < n else { continue }
            // Variance reduction up to constants: Σ_left² / n_left + Σ_right² / n_right.
            let rightSum = total - leftSum
            let score = leftSum * leftSum / Double(leftCount) + rightSum * rightSum / Double(n - leftCount)
            if score > bestScore { bestScore = score; bestFeature = j; bestThreshold = cut }
        }
        guard bestFeature >= 0 else { leaf(); return }

        feature.append(Int32(bestFeature)); threshold.append(bestThreshold); right.append(-1)
        // Stable partition: left samples first, in their original order.
        let leftPart = indices.filter { X[$0][bestFeature] < bestThreshold }
        let rightPart = indices.filter { X[$0][bestFeature] >= bestThreshold }
        var l = ArraySlice(leftPart), r = ArraySlice(rightPart)
        grow(X: X, y: y, indices: &l, d: d, minSamplesSplit: minSamplesSplit, rng: &rng)
        right[node] = Int32(feature.count)
        grow(X: X, y: y, indices: &r, d: d, minSamplesSplit: minSamplesSplit, rng: &rng)
    }

    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double {
        // Four trees at a time: their node loads are independent, so the CPU overlaps them instead of
        // waiting for one chain of dependent loads per tree.
        var sum = 0.0
        nodes.withUnsafeBufferPointer { n in
            roots.withUnsafeBufferPointer { r in
                @inline(__always) func step(_ i: inout Int, _ done: inout Bool, _ acc: inout Double) {
                    if done { return }
                    let node = n[i]
                    let f = node.feature
                    if f == Node.leaf { acc += Double(node.value); done = true; return }
                    i = row[f] < Double(node.value) ? i + 1 : node.right
                }
                var t = 0
                while t + 4 <= r.count {
                    var i0 = Int(r[t]), i1 = Int(r[t + 1]), i2 = Int(r[t + 2]), i3 = Int(r[t + 3])
                    var d0 = false, d1 = false, d2 = false, d3 = false
                    while !(d0 && d1 && d2 && d3) {
                        step(&i0, &d0, &sum); step(&i1, &d1, &sum); step(&i2, &d2, &sum); step(&i3, &d3, &sum)
                    }
                    t += 4
                }
                while t < r.count {
                    var i = Int(r[t]), d = false
                    while !d { step(&i, &d, &sum) }
                    t += 1
                }
            }
        }
        return sum / Double(roots.count)
    }

    public var nodeCount: Int { feature.count }

    public func serialized() throws -> Data {
        ModelJSON.encode(Self.family, [
            "roots": .array(roots.map { .number(Double($0)) }),
            "feature": .array(feature.map { .number(Double($0)) }),
            "threshold": ModelJSON.array(threshold),
            "right": .array(right.map { .number(Double($0)) }),
            "features": .array(Features.names.map { .string($0) }),
            "layout": "preorder: a split node's left child is the next node; feature -1 marks a leaf whose threshold is its value",
        ])
    }

    public static func load(_ data: Data, file: String, width: Int) throws -> ExtraTreesRegressor {
        let o = try ModelJSON.decode(data, family: family, file: file)
        let roots = try ModelJSON.ints(o, "roots", file: file), feature = try ModelJSON.ints(o, "feature", file: file)
        let threshold = try ModelJSON.doubles(o, "threshold", file: file), right = try ModelJSON.ints(o, "right", file: file)
        let n = feature.count
        guard !roots.isEmpty, threshold.count == n, right.count == n,
              roots.allSatisfy({ (0..<n).contains($0) }),
              feature.allSatisfy({ (-1..<width).contains($0) }) else {
            throw PredictorError(file: file, "corrupt model file: tree arrays are inconsistent")
        }
        for i in 0..<n where feature[i] >= 0 {
            // Children must lie after their parent, or traversal could loop.
            guard i + 1 < n, right[i] > i, right[i] < n else {
                throw PredictorError(file: file, "corrupt model file: node \(i) has children out of range")
            }
        }
        return ExtraTreesRegressor(roots: roots.map(Int32.init), feature: feature.map(Int32.init),
                                   threshold: threshold, right: right.map(Int32.init))
    }
}
