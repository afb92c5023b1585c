import ArgumentParser
import Foundation

/// `--batches 1,16`: positive batch sizes, measured in the order given.
struct BatchSizes: ArgumentValue, Hashable, CustomStringConvertible {
    let sizes: [Int]

    init(parsingArgument text: String) throws {
        sizes = try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            guard let size = Int(part.trimmingCharacters(in: .whitespaces)), size > 0 else {
                throw ValidationError("'\(part)' is not a positive integer")
            }
            return size
        }
    }

    init(_ sizes: [Int]) { self.sizes = sizes }

    var description: String { sizes.map(String.init).joined(separator: ",") }
}
