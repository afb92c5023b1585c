import CDNNL
#if canImport(Glibc)
import Glibc
#endif

// Every call into oneDNN goes through this file. It is written against the oneDNN 2.x C API (Debian 12 ships
// 2.6.3): the `dnnl_*_desc_init` functions it uses were removed in oneDNN 3.x, so porting means rewriting
// this file alone.

/// A oneDNN call that failed, named with what it was doing.
public struct DNNLError: Error, CustomStringConvertible, Sendable {
    public var call: String
    public var status: String
    public var context: String
    public var description: String { "oneDNN \(call) failed (\(status)) for \(context)" }

    /// True when oneDNN has no implementation for the requested combination (not a bug on our side).
    public var isUnimplemented: Bool { status == "unimplemented" }
}

private func statusName(_ s: dnnl_status_t) -> String {
    switch s {
    case dnnl_success: return "success"
    case dnnl_out_of_memory: return "out of memory"
    case dnnl_invalid_arguments: return "invalid arguments"
    case dnnl_unimplemented: return "unimplemented"
    case dnnl_runtime_error: return "runtime error"
    case dnnl_not_required: return "not required"
    default: return "status \(s.rawValue)"
    }
}

private func check(_ status: dnnl_status_t, _ call: String, _ context: @autoclosure () -> String) throws {
    if status != dnnl_success {
        throw DNNLError(call: call, status: statusName(status), context: context())
    }
}

/// Memory layouts used by the host backend. Activations are described with logical dims N, C, H, W
/// (or N, C), whatever their physical order.
enum DNNLLayout {
    /// Let the primitive choose.
    case any
    case nchw, nhwc, nc
    /// Weights: plain, NHWC-ordered (for an inner product on a 4-D source), grouped.
    case oihw, ohwi, goihw, oi
    /// A 1-D vector (bias).
    case x

    fileprivate var tag: dnnl_format_tag_t {
        switch self {
        case .any: return dnnl_format_tag_any
        case .nchw: return dnnl_nchw
        case .nhwc: return dnnl_nhwc
        case .nc: return dnnl_nc
        case .oihw: return dnnl_oihw
        case .ohwi: return dnnl_ohwi
        case .goihw: return dnnl_goihw
        case .oi: return dnnl_oi
        case .x: return dnnl_x
        }
    }
}

/// A f32 memory descriptor.
struct DNNLMemoryDesc: @unchecked Sendable {
    fileprivate var raw: dnnl_memory_desc_t

    fileprivate init(raw: dnnl_memory_desc_t) { self.raw = raw }

    init(dims: [Int], layout: DNNLLayout) throws {
        var md = dnnl_memory_desc_t()
        let d = dims.map { Int64($0) }
        try check(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), d, dnnl_f32, layout.tag),
                  "dnnl_memory_desc_init_by_tag", "dims \(dims) layout \(layout)")
        raw = md
    }

    /// Bytes the memory occupies in this layout (blocked layouts round channels up).
    var byteSize: Int {
        var md = raw
        return Int(dnnl_memory_desc_get_size(&md))
    }

    var dims: [Int] {
        let n = Int(raw.ndims)
        return withUnsafeBytes(of: raw.dims) { buf in
            (0..<n).map { Int(buf.load(fromByteOffset: $0 * MemoryLayout<Int64>.stride, as: Int64.self)) }
        }
    }

    static func == (a: DNNLMemoryDesc, b: DNNLMemoryDesc) -> Bool {
        var x = a.raw, y = b.raw
        return dnnl_memory_desc_equal(&x, &y) != 0
    }

    static func != (a: DNNLMemoryDesc, b: DNNLMemoryDesc) -> Bool { !(a == b) }
}

/// The CPU engine and one stream on it.
final class DNNLContext: @unchecked Sendable {
    fileprivate let engine: dnnl_engine_t
    fileprivate let stream: dnnl_stream_t

    init() throws {
        var e: dnnl_engine_t?
        try check(dnnl_engine_create(&e, dnnl_cpu, 0), "dnnl_engine_create", "the CPU engine")
        var s: dnnl_stream_t?
        let status = dnnl_stream_create(&s, e, dnnl_stream_default_flags.rawValue)
        if status != dnnl_success { dnnl_engine_destroy(e) }
        try check(status, "dnnl_stream_create", "the CPU engine")
        engine = e!
        stream = s!
    }

    func wait() throws {
        try check(dnnl_stream_wait(stream), "dnnl_stream_wait", "the CPU stream")
    }

    deinit {
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }
}

/// A buffer we own (64-byte aligned), wrapped as oneDNN memory with a given descriptor.
final class DNNLMemory: @unchecked Sendable {
    fileprivate let handle: dnnl_memory_t
    let desc: DNNLMemoryDesc
    let buffer: UnsafeMutableRawPointer
    let byteSize: Int
    private let owner: DNNLMemory?

    init(_ desc: DNNLMemoryDesc, context: DNNLContext) throws {
        let size = max(desc.byteSize, 1)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        var md = desc.raw
        var m: dnnl_memory_t?
        let status = dnnl_memory_create(&m, &md, context.engine, buffer)
        if status != dnnl_success { buffer.deallocate() }
        try check(status, "dnnl_memory_create", "\(desc.byteSize) bytes of dims \(desc.dims)")
        handle = m!
        self.desc = desc
        byteSize = desc.byteSize
        owner = nil
    }

    /// Another descriptor over the buffer of `base` (which must be at least as large).
    init(viewing base: DNNLMemory, as desc: DNNLMemoryDesc, context: DNNLContext) throws {
        precondition(desc.byteSize <= base.byteSize || base.byteSize == 0)
        var md = desc.raw
        var m: dnnl_memory_t?
        try check(dnnl_memory_create(&m, &md, context.engine, base.buffer), "dnnl_memory_create",
                  "a view of dims \(desc.dims)")
        handle = m!
        self.desc = desc
        buffer = base.buffer
        byteSize = desc.byteSize
        owner = base
    }

    var floats: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: buffer.assumingMemoryBound(to: Float.self), count: byteSize / 4)
    }

    deinit {
        dnnl_memory_destroy(handle)
        if owner == nil { buffer.deallocate() }
    }
}

enum DNNLArgument {
    case src, dst, weights, bias, scratchpad

    fileprivate var raw: Int32 {
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

    fileprivate var parameters: (dnnl_alg_kind_t, Float, Float) {
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
        try check(status, "dnnl_primitive_create", what)
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
        try check(dnnl_primitive_execute(primitive, context.stream, Int32(raw.count), raw), "dnnl_primitive_execute", what)
    }

    // MARK: Construction

    /// Builds attributes (user scratchpad, eltwise post-ops), runs `create` with them, and destroys them.
    private static func withAttributes(_ postOps: [DNNLEltwise], what: String,
                                       _ create: (dnnl_primitive_attr_t) -> dnnl_status_t) throws {
        var attr: dnnl_primitive_attr_t?
        try check(dnnl_primitive_attr_create(&attr), "dnnl_primitive_attr_create", what)
        defer { dnnl_primitive_attr_destroy(attr) }
        try check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user),
                  "dnnl_primitive_attr_set_scratchpad_mode", what)
        if !postOps.isEmpty {
            var ops: dnnl_post_ops_t?
            try check(dnnl_post_ops_create(&ops), "dnnl_post_ops_create", what)
            defer { dnnl_post_ops_destroy(ops) }
            for op in postOps {
                let (alg, alpha, beta) = op.parameters
                try check(dnnl_post_ops_append_eltwise(ops, 1, alg, alpha, beta), "dnnl_post_ops_append_eltwise", what)
            }
            try check(dnnl_primitive_attr_set_post_ops(attr, ops), "dnnl_primitive_attr_set_post_ops", what)
        }
        try check(create(attr!), "dnnl_primitive_desc_create", what)
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
        try check(status, "dnnl_dilated_convolution_forward_desc_init", what)
        return try DNNLPrimitive(pd: primitiveDesc(&cd, postOps: postOps, context: context, what: what), what: what)
    }

    static func pooling(_ kind: DNNLPoolingKind, src: DNNLMemoryDesc, dst: DNNLMemoryDesc, strides: [Int], kernel: [Int],
                        paddingLeft: [Int], paddingRight: [Int], context: DNNLContext, what: String) throws -> DNNLPrimitive {
        var s = src.raw, d = dst.raw
        var pd = dnnl_pooling_desc_t()
        let alg = kind == .max ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding
        try check(dnnl_pooling_forward_desc_init(&pd, dnnl_forward_inference, alg, &s, &d, strides.map(Int64.init),
                                                 kernel.map(Int64.init), paddingLeft.map(Int64.init),
                                                 paddingRight.map(Int64.init)),
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
        try check(status, "dnnl_inner_product_forward_desc_init", what)
        return try DNNLPrimitive(pd: primitiveDesc(&ip, postOps: postOps, context: context, what: what), what: what)
    }

    /// In-place elementwise function over `data`.
    static func eltwise(_ f: DNNLEltwise, data: DNNLMemoryDesc, context: DNNLContext, what: String) throws -> DNNLPrimitive {
        var md = data.raw
        var ed = dnnl_eltwise_desc_t()
        let (alg, alpha, beta) = f.parameters
        try check(dnnl_eltwise_forward_desc_init(&ed, dnnl_forward_inference, alg, &md, alpha, beta),
                  "dnnl_eltwise_forward_desc_init", what)
        return try DNNLPrimitive(pd: primitiveDesc(&ed, postOps: [], context: context, what: what), what: what)
    }

    /// In-place softmax over the channel axis (logical axis 1), as Keras applies it over the last NHWC axis.
    static func softmax(data: DNNLMemoryDesc, context: DNNLContext, what: String) throws -> DNNLPrimitive {
        var md = data.raw
        var sd = dnnl_softmax_desc_t()
        try check(dnnl_softmax_forward_desc_init(&sd, dnnl_forward_inference, &md, 1), "dnnl_softmax_forward_desc_init", what)
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

/// What the library is and what it dispatches to.
enum DNNLInfo {
    static var version: String {
        guard let v = dnnl_version()?.pointee else { return "unknown" }
        var s = "\(v.major).\(v.minor).\(v.patch)"
        if let h = v.hash, case let hash = String(cString: h), !hash.isEmpty, hash != "N/A" { s += " (\(hash))" }
        return s
    }

    static var isa: String {
        switch dnnl_get_effective_cpu_isa() {
        case dnnl_cpu_isa_sse41: return "sse41"
        case dnnl_cpu_isa_avx: return "avx"
        case dnnl_cpu_isa_avx2: return "avx2"
        case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni"
        case dnnl_cpu_isa_avx512_mic: return "avx512_mic"
        case dnnl_cpu_isa_avx512_mic_4ops: return "avx512_mic_4ops"
        case dnnl_cpu_isa_avx512_core: return "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx"
        case let other: return "isa 0x\(String(other.rawValue, radix: 16))"
        }
    }
}

/// The OpenMP runtime oneDNN 2.6 is built on (Debian's libdnnl links libgomp). OpenMP reads
/// OMP_NUM_THREADS when it loads, so the thread count is set through its API, found at run time because
/// no header for it is part of the shim.
enum OpenMP {
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias GetThreads = @convention(c) () -> Int32

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
    }

    /// Sets the threads of the calling thread's next parallel regions; false if OpenMP is not loaded.
    @discardableResult
    static func setThreads(_ n: Int) -> Bool {
        guard let p = symbol("omp_set_num_threads") else { return false }
        unsafeBitCast(p, to: SetThreads.self)(Int32(n))
        return true
    }

    static var maxThreads: Int? {
        guard let p = symbol("omp_get_max_threads") else { return nil }
        return Int(unsafeBitCast(p, to: GetThreads.self)())
    }
}
