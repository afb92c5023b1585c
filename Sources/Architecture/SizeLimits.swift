/// The largest networks `nas` accepts, so that every count derived from a network (elements, MACs, FLOPs,
/// parameters, bytes) fits in `Int` with room left for sums, and an absurd file is refused with the layer named
/// instead of trapping on overflow or asking the allocator for exabytes.
///
/// The limits are far above any network that runs on the seven target devices (the largest zoo layer has
/// about 1.2 × 10⁸ output elements, VGG-16 about 1.5 × 10¹⁰ FLOPs).
public enum SizeLimits {
    /// Any one extent: input height, width and channels, batch, kernel, stride, dilation, padding, filters,
    /// units, groups and depth multiplier: 2²⁴ = 16,777,216.
    public static let maxExtent = 1 << 24
    /// Elements of one activation tensor over the whole batch, and of one layer's weights:
    /// 2³⁶ ≈ 6.9 × 10¹⁰ (256 GiB of f32).
    public static let maxTensorElements = 1 << 36
    /// FLOPs of one layer and of the whole network at its batch size: 2⁶⁰ ≈ 1.2 × 10¹⁸.
    public static let maxFLOPs = 1 << 60
    /// Weight elements of the whole network: 2³⁸ ≈ 2.7 × 10¹¹ (1 TiB of f32).
    public static let maxNetworkWeights = 1 << 38

    /// The product, or nil when it overflows `Int` or exceeds `limit`. Factors are positive. Fixed arities,
    /// not a variadic list: shape inference calls these for every layer of every candidate, and a variadic
    /// call allocates its array.
    @inlinable
    public static func product(_ a: Int, _ b: Int, atMost limit: Int) -> Int? {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow || r > limit ? nil : r
    }

    @inlinable
    public static func product(_ a: Int, _ b: Int, _ c: Int, atMost limit: Int) -> Int? {
        product(a, b, atMost: limit).flatMap { product($0, c, atMost: limit) }
    }

    @inlinable
    public static func product(_ a: Int, _ b: Int, _ c: Int, _ d: Int, atMost limit: Int) -> Int? {
        product(a, b, c, atMost: limit).flatMap { product($0, d, atMost: limit) }
    }

    /// Refuses an extent above `maxExtent`, naming it. The names are built only when one is too large:
    /// `largest` is the caller's cheap max of the same values.
    static func checkExtents(largest: Int, _ values: @autoclosure () -> KeyValuePairs<String, Int>,
                             _ fail: (String) -> ArchitectureError) throws {
        guard largest > maxExtent else { return }
        try checkExtents(values(), fail)
    }

    static func checkExtents(_ values: KeyValuePairs<String, Int>, _ fail: (String) -> ArchitectureError) throws {
        for (what, v) in values where v > maxExtent {
            throw fail("\(what) \(v) is larger than nas supports (at most \(maxExtent))")
        }
    }
}

extension LayerWorkload {
    /// Refuses a workload (from a dataset line, a profile or an agent request) whose sizes are outside
    /// `SizeLimits`, before anything multiplies them: every extent, the input and output tensors over the
    /// batch, the weights and the FLOPs. Positivity and the shape rules are the caller's to check.
    public func checkSize() throws {
        try SizeLimits.checkExtents(["batch": batch, "in_h": inH, "in_w": inW, "in_c": inC, "out_h": outH, "out_w": outW,
                                     "out_c": outC, "kernel_h": kernelH, "kernel_w": kernelW, "stride_h": strideH,
                                     "stride_w": strideW, "dilation_h": dilationH, "dilation_w": dilationW, "groups": groups,
                                     "pad_top": padTop, "pad_bottom": padBottom, "pad_left": padLeft, "pad_right": padRight]) {
            ArchitectureError("workload: " + $0)
        }
        let limit = SizeLimits.maxTensorElements
        guard let input = SizeLimits.product(batch, inH, inW, inC, atMost: limit),
              let output = SizeLimits.product(batch, outH, outW, outC, atMost: limit) else {
            throw ArchitectureError("workload: a tensor has more than \(limit) elements, more than nas supports")
        }
        _ = input
        let perOutput = SizeLimits.product(max(inC / max(groups, 1), 1), kernelH, kernelW, atMost: limit)
        let weights = kind == .dense ? SizeLimits.product(inC, outC, atMost: limit)
                                     : perOutput.flatMap { SizeLimits.product($0, outC, atMost: limit) }
        guard weights != nil else { throw ArchitectureError("workload: more than \(limit) weights, more than nas supports") }
        guard perOutput.flatMap({ SizeLimits.product(2, output, $0, atMost: SizeLimits.maxFLOPs) }) != nil,
              SizeLimits.product(2, batch, inC, outC, atMost: SizeLimits.maxFLOPs) != nil else {
            throw ArchitectureError("workload: more than \(SizeLimits.maxFLOPs) FLOPs, more than nas supports")
        }
    }
}
