import CDNNL
#if canImport(Glibc)
import Glibc
#endif

/// The CPU engine and one stream on it.
final class DNNLContext: @unchecked Sendable {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t

    init() throws {
        var e: dnnl_engine_t?
        try DNNLError.check(dnnl_engine_create(&e, dnnl_cpu, 0), "dnnl_engine_create", "the CPU engine")
        var s: dnnl_stream_t?
        let status = dnnl_stream_create(&s, e, dnnl_stream_default_flags.rawValue)
        if status != dnnl_success { dnnl_engine_destroy(e) }
        try DNNLError.check(status, "dnnl_stream_create", "the CPU engine")
        engine = e!
        stream = s!
    }

    func wait() throws {
        try DNNLError.check(dnnl_stream_wait(stream), "dnnl_stream_wait", "the CPU stream")
    }

    deinit {
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
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
