/// A file that could not be read or written, said in one line that names it and the system's reason.
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var reason: String
    /// The file could not be created because its directory does not exist (ENOENT).
    var missingDirectory = false
    public init(path: String, _ reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): \(reason)" }
    public static func == (a: FileError, b: FileError) -> Bool { a.path == b.path && a.reason == b.reason }
}
