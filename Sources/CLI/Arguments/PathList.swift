import ArgumentParser

/// Files separated by commas: `--profile data/profiles/host-a.jsonl,data/profiles/host-b.jsonl`.
struct PathList: ArgumentValue, Hashable, CustomStringConvertible {
    let paths: [String]

    init(parsingArgument text: String) throws {
        paths = try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            guard !part.isEmpty else { throw ValidationError("empty file name (write files separated by commas)") }
            return String(part)
        }
    }

    var description: String { paths.joined(separator: ",") }
}
