@preconcurrency import CGSL

/// Process-wide facts about the linked GSL and the one-time setup every GSL call depends on.
///
/// `@preconcurrency import CGSL` is needed because Swift 6 rejects reading C globals such as
/// `gsl_version` and `gsl_rng_mt19937` as shared mutable state; GSL never writes them after load.
public enum GSL {
    /// The version string of the GSL library actually loaded at run time (not the header it was built
    /// against), so run reports record what computed their numbers.
    public static let version: String = String(cString: gsl_version)

    /// GSL's default error handler calls `abort()`, which would take the whole search run down on a
    /// singular matrix. Turning it off makes GSL return status codes instead, which `check` converts
    /// to `StatisticsError`. A `static let` runs exactly once and is thread-safe.
    private static let handlerDisabled: Bool = {
        _ = gsl_set_error_handler_off()
        return true
    }()

    /// Switches GSL's aborting error handler off for the whole process. Idempotent and cheap after the
    /// first call. Every function in this module calls it; other modules that call GSL directly through
    /// `CGSL` should call it too before their first GSL call.
    public static func disableAbortingErrorHandler() {
        _ = handlerDisabled
    }

    /// Turns a GSL status code into a thrown error carrying GSL's own message.
    static func check(_ status: Int32, context: String) throws {
        guard status != GSL_SUCCESS else { return }
        let message = gsl_strerror(status).map { String(cString: $0) } ?? "unknown GSL error"
        throw StatisticsError(.gsl(status: status), context: context, message: message)
    }
}
