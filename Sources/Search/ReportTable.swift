/// A table printed with aligned columns (numbers right-aligned), or as Markdown.
public struct ReportTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// Per column: right-align it.
    public var rightAligned: [Bool]

    public init(header: [String], rows: [[String]], rightAligned: [Bool]) {
        self.header = header; self.rows = rows; self.rightAligned = rightAligned
    }

    public var plain: String {
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return rightAligned[c] ? pad + s : s + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    public var markdown: String {
        let sep = rightAligned.map { $0 ? "---:" : "---" }
        return ([header, sep] + rows).map { "| " + $0.map { $0.replacingPipes() }.joined(separator: " | ") + " |" }
            .joined(separator: "\n") + "\n"
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
    func replacingPipes() -> String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}
