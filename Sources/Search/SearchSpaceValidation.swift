import NASArchitecture

extension SearchSpace {
    /// Weights one dense layer may have at most after a flatten head; above it a space is rejected as a mistake.
    static let maxFlattenWeights = 500_000_000

    /// Checks what the types cannot: value ranges, unique names, and that the resolution never runs out.
    public func validate() throws {
        try validateSizes()
        guard BlockType.kernels.contains(stem.kernel) else {
            throw SearchError("stem: 'kernel' must be 1, 3, 5 or 7, got \(stem.kernel)")
        }
        guard stem.stride == 1 || stem.stride == 2 else { throw SearchError("stem: 'stride' must be 1 or 2, got \(stem.stride)") }
        var names = Set<String>()
        for (i, s) in stages.enumerated() {
            let at = "stages[\(i)] '\(s.name)'"
            guard !s.name.isEmpty else { throw SearchError("stages[\(i)]: 'name' must not be empty") }
            guard names.insert(s.name).inserted else { throw SearchError("\(at): 'name' is used by an earlier stage") }
            guard s.depth.lowerBound >= 1, s.depth.upperBound <= SearchSpace.maxDepth else {
                throw SearchError("\(at): 'depth' must lie within 1...\(SearchSpace.maxDepth), got \(s.depth.lowerBound)...\(s.depth.upperBound)")
            }
            guard !s.blocks.isEmpty, !s.widths.isEmpty, !s.downsampling.isEmpty else {
                throw SearchError("\(at): 'blocks', 'widths' and 'downsample' must each offer at least one choice")
            }
        }
        guard head.denseCount.lowerBound >= 0, head.denseCount.upperBound <= SearchSpace.maxDenseLayers else {
            throw SearchError("head.dense: 'count' must lie within 0...\(SearchSpace.maxDenseLayers)")
        }
        guard head.denseCount.upperBound == 0 || !head.denseWidths.isEmpty else {
            throw SearchError("head.dense: 'widths' must offer at least one choice")
        }

        // The smallest resolution each stage can see is reached when every earlier stage downsamples.
        var h = (inputH + stem.stride - 1) / stem.stride
        var w = (inputW + stem.stride - 1) / stem.stride
        var (bigH, bigW) = (h, w)
        var mayDownsample = stem.stride == 2 ? 1 : 0
        for (i, s) in stages.enumerated() {
            if s.downsampling.contains(where: { $0 != .none }) {
                guard h >= 2, w >= 2 else {
                    throw SearchError("stages[\(i)] '\(s.name)': can downsample a \(h)×\(w) feature map (the \(inputH)×\(inputW) input is \(h)×\(w) after \(mayDownsample) earlier downsamplings); offer only \"none\" here or fewer downsampling choices earlier")
                }
                h = (h + 1) / 2
                w = (w + 1) / 2
                mayDownsample += 1
            }
            // The flatten head sees most features when every stage that can keep its resolution does.
            if !s.downsampling.contains(.none) {
                bigH = (bigH + 1) / 2
                bigW = (bigW + 1) / 2
            }
        }
        if head.pooling.contains(.flatten) {
            let width = stages.last?.widths.max() ?? 0
            let units = head.denseCount.upperBound > 0 ? (head.denseWidths.max() ?? classes) : classes
            let features = bigH * bigW * width // at most the largest activation, checked by validateSizes()
            if SizeLimits.product(features, units, atMost: SearchSpace.maxFlattenWeights) == nil {
                throw SearchError("head: 'flatten' can feed \(features) features into a dense layer of \(units) units (over \(SearchSpace.maxFlattenWeights) weights); make every stage path downsample more or use \"global_avg\"")
            }
        }
    }

    /// Every size within `SizeLimits`, and the largest activation any architecture of the space can have
    /// (the input resolution at the widest width, over the batch) within `SizeLimits.maxTensorElements`, so
    /// that decoding a genotype can never overflow.
    func validateSizes() throws {
        var sizes: [(String, Int)] = [("'batch'", batch), ("'input' height", inputH), ("'input' width", inputW),
                                      ("'input' channels", inputC), ("'classes'", classes)]
        sizes += stem.filters.map { ("stem: 'filters'", $0) }
        for (i, s) in stages.enumerated() { sizes += s.widths.map { ("stages[\(i)] '\(s.name)': 'widths'", $0) } }
        sizes += head.denseWidths.map { ("head.dense: 'widths'", $0) }
        for (what, v) in sizes {
            guard v >= 1 else { throw SearchError("\(what) must be positive, got \(v)") }
            guard v <= SizeLimits.maxExtent else {
                throw SearchError("\(what) \(v) is larger than nas supports (at most \(SizeLimits.maxExtent))")
            }
        }
        // An inverted residual widens its input by its expansion ratio before the depthwise convolution.
        let expansion = stages.flatMap(\.blocks).map(\.expansion).max() ?? 1
        let widest = ([inputC] + stem.filters + stages.flatMap(\.widths)).max()! * expansion
        guard widest <= SizeLimits.maxExtent,
              SizeLimits.product(batch, inputH, inputW, widest, atMost: SizeLimits.maxTensorElements) != nil else {
            throw SearchError("an architecture of this space can have a \(inputH)×\(inputW)×\(widest) activation at batch \(batch), more than the \(SizeLimits.maxTensorElements) elements nas supports")
        }
    }
}
