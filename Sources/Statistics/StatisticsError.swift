/// Why a statistics call refused to produce a number.
///
/// Every public entry point of `NASStatistics` validates its input and throws this instead of returning
/// NaN or letting GSL call `abort()`: a silent NaN in a latency table travels all the way into a Pareto
/// front before anybody notices, while a thrown error names the function and the offending input.
public struct StatisticsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The category of problem, so callers and tests can branch without parsing the message.
    public enum Kind: Equatable, Sendable {
        /// No observations at all.
        case emptyInput
        /// A NaN or an infinity in the input; GSL would propagate it silently.
        case nonFiniteInput
        /// Two inputs that must pair up element by element have different lengths.
        case lengthMismatch
        /// Fewer observations than the quantity needs (for example a sample variance of one value).
        case tooFewObservations
        /// A parameter outside its domain (a quantile level outside [0, 1], zero resamples, ...).
        case invalidArgument
        /// The input is well formed but the quantity is undefined for it (constant data for a
        /// correlation, collinear regressors, a statistic that returned NaN on a resample).
        case degenerateInput
        /// GSL itself reported a failure; the associated value is its `GSL_E*` status code.
        case gsl(status: Int32)
    }

    public let kind: Kind
    /// The public function that failed, e.g. `"variance"`.
    public let context: String
    /// What went wrong, in words. For `.gsl` this is GSL's own `gsl_strerror` text.
    public let message: String

    public init(_ kind: Kind, context: String, message: String) {
        self.kind = kind
        self.context = context
        self.message = message
    }

    /// The GSL status code when GSL reported the failure, nil for input problems caught on the Swift side.
    public var gslStatus: Int32? {
        if case .gsl(let status) = kind { return status }
        return nil
    }

    public var description: String {
        if let status = gslStatus {
            return "\(context): GSL error \(status): \(message)"
        }
        return "\(context): \(message)"
    }
}
