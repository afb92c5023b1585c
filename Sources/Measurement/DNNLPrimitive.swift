import CDNNL

enum DNNLArgument {
    case src, dst, weights, bias, scratchpad

    var raw: Int32 {
        switch self {
        case .src: return DNNL_ARG_SRC
        case .dst: return DNNL_ARG_DST
        case .weights: return DNNL_ARG_WEIGHTS
        case .bias: return DNNL_ARG_BIAS
        case .scratchpad: return DNNL_ARG_SCRATCHPAD
        }
    }
}

/// Elementwise functions oneDNN can apply as a post-op or a standalone primitive.
enum DNNLEltwise: Equatable {
    case relu
    case clip(lower: Float, upper: Float)
    case logistic
    case tanh

    var parameters: (dnnl_alg_kind_t, Float, Float) {
        switch self {
        case .relu: return (dnnl_eltwise_relu, 0, 0)
        case .clip(let lo, let hi): return (dnnl_eltwise_clip, lo, hi)
        case .logistic: return (dnnl_eltwise_logistic, 0, 0)
        case .tanh: return (dnnl_eltwise_tanh, 0, 0)
        }
    }
}

enum DNNLPoolingKind {
    case max
    /// Average over the window's elements inside the input (Keras semantics).
    case averageExcludingPadding
}

/// A primitive with its descriptor. The scratchpad is always user-managed, so its size is known and
/// one buffer can serve every primitive of a network.
final class DNNLPrimitive: @unchecked Sendable {
    private let pd: dnnl_primitive_desc_t
    private let primitive: dnnl_primitive_t
    let what: String

    private init(pd: dnnl_primitive_desc_t, what: String) throws {
        var p: dnnl_primitive_t?
        let status = dnnl_primitive_create(&p, pd)
        if status != dnnl_success { dnnl_primitive_desc_destroy(pd) }
        try DNNLError.check(status, "dnnl_primitive_create", what)
        self.pd = pd
        primitive = p!
        self.what = what
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(pd)
    }

    private func md(_ q: dnnl_query_t, _ index: Int32 = 0) -> DNNLMemoryDesc? {
        guard let p = dnnl_primitive_desc_query_md(pd, q, index) else { return nil }
        let d = DNNLMemoryDesc(raw: p.pointee)
        return d.raw.ndims == 0 ? nil : d
    }

    var srcDesc: DNNLMemoryDesc? { md(dnnl_query_src_md) }
    var dstDesc: DNNLMemoryDesc? { md(dnnl_query_dst_md) }
    var weightsDesc: DNNLMemoryDesc? { md(dnnl_query_weights_md, 0) }
    var biasDesc: DNNLMemoryDesc? { md(dnnl_query_weights_md, 1) }
    var scratchpadDesc: DNNLMemoryDesc? { md(dnnl_query_scratchpad_md) }
    var scratchpadBytes: Int { scratchpadDesc?.byteSize ?? 0 }

    /// The kernel oneDNN dispatched to, e.g. "brgconv:avx512_core".
    var implementation: String {
        var s: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &s) == dnnl_success, let s else { return "unknown" }
        return String(cString: s)
    }

    func execute(_ args: [(DNNLArgument, DNNLMemory)], context: DNNLContext) throws {
        let raw = args.map { dnnl_exec_arg_t(arg: $0.0.raw, memory: $0.1.handle) }
        try DNNLError.check(dnnl_primitive_execute(primitive, context.stream, Int32(raw.count), raw),
                            "dnnl_primitive_execute", what)
    }

    // MARK: Construction

    /// Builds attributes (user scratchpad, eltwise post-ops), runs `create` with them, and destroys them.
    private static func withAttributes(_ postOps: [DNNLEltwise], what: String,
                                       _ create: (dnnl_primitive_attr_t) -> dnnl_status_t) throws {
        var attr: dnnl_primitive_attr_t?
        try DNNLError.check(dnnl_primitive_attr_create(&attr), "dnnl_primitive_attr_create", what)
        defer { dnnl_primitive_attr_destroy(attr) }
        try DNNLError.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user),
                            "dnnl_primitive_attr_set_scratchpad_mode", what)
        if !postOps.isEmpty {
            var ops: dnnl_post_ops_t?
            try DNNLError.check(dnnl_post_ops_create(&ops), "dnnl_post_ops_create", what)
            defer { dnnl_post_ops_destroy(ops) }
            for op in postOps {
                let (alg, alpha, beta) = op.parameters
                try DNNLError.check(dnnl_post_ops_append_eltwise(ops, 1, alg, alpha, beta),
                                    "dnnl_post_ops_append_eltwise", what)
            }
            try DNNLError.check(dnnl_primitive_attr_set_post_ops(attr, ops), "dnnl_primitive_attr_set_post_ops", what)
        }
        try DNNLError.check(create(attr!), "dnnl_primitive_desc_create", what)
    }

    private static func primitiveDesc<Desc>(_ desc: inout Desc, postOps: [DNNLEltwise], context: DNNLContext,
                                            what: String) throws -> dnnl_primitive_desc_t {
        var result: dnnl_primitive_desc_t?
        try withAttributes(postOps, what: what) { attr in
            withUnsafePointer(to: &desc) { p in
                dnnl_primitive_desc_create(&result, UnsafeRawPointer(p), attr, context.engine, nil)
            }
        }
        return result!
    }

    /// Convolution. `dilation` is in the Keras convention (1 = dense); oneDNN counts the gaps (0 = dense).
    static func convolution(src: DNNLMemoryDesc, weights: DNNLMemoryDesc, bias: DNNLMemoryDesc?, dst: DNNLMemoryDesc,
                            strides: [Int], dilation: [Int], paddingLeft: [Int], paddingRight: [Int],
                            postOps: [DNNLEltwise], context: DNNLContext, what: String) throws -> DNNLPrimitive {
        var s = src.raw, w = weights.raw, d = dst.raw
        var b = bias?.raw ?? dnnl_memory_desc_t()
        var cd = dnnl_convolution_desc_t()
        let st = strides.map(Int64.init), dl = dilation.map { Int64($0 - 1) }
        let pl = paddingLeft.map(Int64.init), pr = paddingRight.map(Int64.init)
        let status = bias == nil
            ? dnnl_dilated_convolution_forward_desc_init(&cd, dnnl_forward_inference, dnnl_convolution_direct,
                                                          &s, &w, nil, &d, st, dl, pl, pr)
            : dnnl_dilated_convolution_forward_desc_init(&cd, dnnl_forward_inference, dnnl_convolution_direct,
                                                          &s, &w, &b, &d, st, dl, pl, pr)
        try DNNLError.check(status, "dnnl_dilated_convolution_forward_desc_init", what)
        return try DNNLPrimitive(pd: primitiveDesc(&cd, postOps: postOps, context: context, what: what), what: what)
    }

    static func pooling(_ kind: DNNLPoolingKind, src: DNNLMemoryDesc, dst: DNNLMemoryDesc, strides: [Int], kernel: [Int],
                        paddingLeft: [Int], paddingRight: [Int], context: DNNLContext, what: String) throws -> DNNLPrimitive {
        var s = src.raw, d = dst.raw
        var pd = dnnl_pooling_desc_t()
        let alg = kind == .max ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding
        try DNNLError.check(dnnl_pooling_forward_desc_init(&pd, dnnl_forward_inference, alg, &s, &d,
                                                           strides.map(Int64.init), kernel.map(Int64.init),
                                                           paddingLeft.map(Int64.init), paddingRight.map(Int64.init)),
                            "dnnl_pooling_forward_desc_init", what)
        return try DNNLPrimitive(pd: primitiveDesc(&pd, postOps: [], context: context, what: what), what: what)
    }

    static func innerProduct(src: DNNLMemoryDesc, weights: DNNLMemoryDesc, bias: DNNLMemoryDesc?, dst: DNNLMemoryDesc,
                             postOps: [DNNLEltwise], context: DNNLContext, what: String) throws -> DNNLPrimitive {
        var s = src.raw, w = weights.raw, d = dst.raw
        var b = bias?.raw ?? dnnl_memory_desc_t()
        var ip = dnnl_inner_product_desc_t()
        let status = bias == nil
            ? dnnl_inner_product_forward_desc_init(&ip, dnnl_forward_inference, &s, &w, nil, &d)
            : dnnl_inner_product_forward_desc_init(&ip, dnnl_forward_inference, &s, &w, &b, &d)
        try DNNLError.check(status, "dnnl_inner_product_forward_desc_init", what)
        return try DNNLPrimitive(pd: primitiveDesc(&ip, postOps: postOps, context: context, what: what), what: what)
    }

    /// In-place elementwise function over `data`.
    static func eltwise(_ f: DNNLEltwise, data: DNNLMemoryDesc, context: DNNLContext, what: String) throws -> DNNLPrimitive {
        var md = data.raw
        var ed = dnnl_eltwise_desc_t()
        let (alg, alpha, beta) = f.parameters
        try DNNLError.check(dnnl_eltwise_forward_desc_init(&ed, dnnl_forward_inference, alg, &md, alpha, beta),
                            "dnnl_eltwise_forward_desc_init", what)
        return try DNNLPrimitive(pd: primitiveDesc(&ed, postOps: [], context: context, what: what), what: what)
    }

    /// In-place softmax over the channel axis (logical axis 1), as Keras applies it over the last NHWC axis.
    static func softmax(data: DNNLMemoryDesc, context: DNNLContext, what: String) throws -> DNNLPrimitive {
        var md = data.raw
        var sd = dnnl_softmax_desc_t()
        try DNNLError.check(dnnl_softmax_forward_desc_init(&sd, dnnl_forward_inference, &md, 1),
                            "dnnl_softmax_forward_desc_init", what)
        return try DNNLPrimitive(pd: primitiveDesc(&sd, postOps: [], context: context, what: what), what: what)
    }

    static func reorder(from: DNNLMemoryDesc, to: DNNLMemoryDesc, context: DNNLContext, what: String) throws -> DNNLPrimitive {
        var f = from.raw, t = to.raw
        var result: dnnl_primitive_desc_t?
        try withAttributes([], what: what) { attr in
            dnnl_reorder_primitive_desc_create(&result, &f, context.engine, &t, context.engine, attr)
        }
        return try DNNLPrimitive(pd: result!, what: what)
    }

    func executeReorder(from: DNNLMemory, to: DNNLMemory, scratchpad: DNNLMemory?, context: DNNLContext) throws {
        var args: [(DNNLArgument, DNNLMemory)] = [(.src, from), (.dst, to)]
        if let scratchpad, scratchpadBytes > 0 { args.append((.scratchpad, scratchpad)) }
        try execute(args, context: context)
    }
}
