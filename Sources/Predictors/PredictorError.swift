/// What went wrong in the predictors, said in one line that names the file (and line) where it can.
public struct PredictorError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    /// `file:line: message`.
    public init(file: String, line: Int, _ message: String) { self.message = "\(file):\(line): \(message)" }
    /// `file: message`.
    public init(file: String, _ message: String) { self.message = "\(file): \(message)" }
    public var description: String { message }
}
