import CDNNL

// Every call into oneDNN goes through the DNNL*.swift files (errors here; memory in DNNLMemory.swift; engine,
// stream and runtime in DNNLContext.swift; primitives in DNNLPrimitive.swift). They are written against the
// oneDNN 2.x C API (Debian 12 ships 2.6.3): the `dnnl_*_desc_init` functions used were removed in oneDNN 3.x,
// so porting means rewriting these files alone. Their raw handles are internal rather than private only so
// that the files can see each other's; nothing outside them touches a `dnnl_*` type.

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

extension DNNLError {
    /// Throws when a oneDNN call did not succeed; `context` is only built then.
    static func check(_ status: dnnl_status_t, _ call: String, _ context: @autoclosure () -> String) throws {
        if status != dnnl_success {
            throw DNNLError(call: call, status: statusName(status), context: context())
        }
    }
}
