/// An error inside one line of a measurement file, turned into `file:line: message` by the reader.
struct LineError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
