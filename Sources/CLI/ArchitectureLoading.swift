import NASArchitecture

/// Reads an architecture file and infers its shapes; every error starts with the file's path.
func loadNetwork(path: String, batch: Int? = nil) throws -> ResolvedNetwork {
    var arch = try Architecture.load(path: path)
    if let b = batch {
        guard b > 0 else { throw ArchitectureError("--batch must be positive, got \(b)") }
        arch.batch = b
    }
    do {
        return try arch.resolved()
    } catch let e as ArchitectureError {
        throw ArchitectureError("\(path): \(e.description)")
    }
}
