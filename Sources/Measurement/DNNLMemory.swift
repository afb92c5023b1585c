import CDNNL

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

    var tag: dnnl_format_tag_t {
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
    var raw: dnnl_memory_desc_t

    init(raw: dnnl_memory_desc_t) { self.raw = raw }

    init(dims: [Int], layout: DNNLLayout) throws {
        var md = dnnl_memory_desc_t()
        let d = dims.map { Int64($0) }
        try DNNLError.check(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), d, dnnl_f32, layout.tag),
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

/// A buffer we own (64-byte aligned), wrapped as oneDNN memory with a given descriptor.
final class DNNLMemory: @unchecked Sendable {
    let handle: dnnl_memory_t
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
        try DNNLError.check(status, "dnnl_memory_create", "\(desc.byteSize) bytes of dims \(desc.dims)")
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
        try DNNLError.check(dnnl_memory_create(&m, &md, context.engine, base.buffer), "dnnl_memory_create",
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
