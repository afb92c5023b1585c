/// A user-facing problem with a search's inputs or files, said in one line that names where it is.
public struct SearchError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
