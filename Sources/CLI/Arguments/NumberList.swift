import ArgumentParser
import NASSupport
import Foundation

/// `--reference-point 0.9,25`: finite numbers separated by commas.
struct NumberList: ArgumentValue, Hashable, CustomStringConvertible {
    let values: [Double]

    init(parsingArgument text: String) throws {
        values = try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            guard let v = DecimalNumber.parse(part.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("'\(part)' is not a number")
            }
            return v
        }
    }

    var description: String { values.map { "\($0)" }.joined(separator: ",") }
}
