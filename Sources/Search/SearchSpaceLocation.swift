import Foundation

extension SearchSpace {
    /// Reads `nameOrPath`: an existing file, or the name of a shipped space, looked up as
    /// `SearchSpaces/NAME.json` in the working directory and then beside and above the running executable.
    /// Returns the space and the path it came from.
    public static func locate(_ nameOrPath: String) throws -> (space: SearchSpace, path: String) {
        let fm = FileManager.default
        if nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") {
            guard fm.fileExists(atPath: nameOrPath) else { throw SearchError("--space '\(nameOrPath)': no such file") }
            return (try load(path: nameOrPath), nameOrPath)
        }
        var roots = [fm.currentDirectoryPath]
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            roots.append(dir.path)
            dir.deleteLastPathComponent()
        }
        for root in roots {
            let path = "\(root)/SearchSpaces/\(nameOrPath).json"
            if fm.fileExists(atPath: path) { return (try load(path: path), path) }
        }
        let shipped = (try? fm.contentsOfDirectory(atPath: "\(fm.currentDirectoryPath)/SearchSpaces"))?
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted() ?? []
        let known = shipped.isEmpty ? "" : " (known here: \(shipped.joined(separator: ", ")))"
        throw SearchError("--space '\(nameOrPath)': no file SearchSpaces/\(nameOrPath).json in the working directory or beside nas\(known)")
    }
}
