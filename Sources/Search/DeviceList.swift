extension Budget {
    /// Reads `--device pi4,xu4`: non-empty, no repeats, ids of letters, digits, '-' and '_'.
    public static func parseDevices(_ text: String) throws -> [String] {
        let ids = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        for id in ids {
            guard !id.isEmpty else { throw SearchError("--device '\(text)': empty device id") }
            guard id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw SearchError("--device '\(text)': '\(id)' is not a device id (letters, digits, '-', '_')")
            }
            guard !out.contains(id) else { throw SearchError("--device '\(text)': device '\(id)' is given twice") }
            out.append(id)
        }
        return out
    }
}
