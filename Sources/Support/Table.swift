/// One table model for every table `nas` prints or writes: terminal text with aligned columns, Markdown, or HTML.
///
/// Text cells are left-aligned and numbers right-aligned, chosen per column. Rows shorter than the header
/// are padded with empty cells.
public struct Table: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    /// Per column: right-align it.
    public var rightAligned: [Bool]

    public init(header: [String], rows: [[String]] = [], rightAligned: [Bool]) {
        self.header = header; self.rows = rows; self.rightAligned = rightAligned
    }

    /// A table whose columns are right-aligned (numbers) except those in `leftAligned` (text).
    public init(_ header: [String], leftAligned: Set<Int> = [0]) {
        self.init(header: header, rightAligned: header.indices.map { !leftAligned.contains($0) })
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// Aligned columns two spaces apart, trailing spaces trimmed, no final newline; with `rule`, a line of
    /// dashes under the header.
    public func text(rule: Bool = false) -> String {
        let widths = header.indices.map { c in ([header] + rows).map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var s = header.indices.map { c -> String in
                let cell = c < cells.count ? cells[c] : ""
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return rightAligned[c] ? pad + cell : cell + pad
            }.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        var out = [line(header)]
        if rule { out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        out += rows.map(line)
        return out.joined(separator: "\n")
    }

    /// `text()` with a final newline, for writing straight to a stream or file.
    public var plain: String { text() + "\n" }

    /// A GitHub-flavoured Markdown table; `|` inside a cell is escaped.
    public var markdown: String {
        let separator = rightAligned.map { $0 ? "---:" : "---" }
        func escaped(_ cell: String) -> String { cell.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
        return ([header, separator] + rows).map { row in
            "| " + header.indices.map { escaped($0 < row.count ? row[$0] : "") }.joined(separator: " | ") + " |"
        }.joined(separator: "\n") + "\n"
    }

    /// An HTML table: the header in `th` cells, right-aligned columns as `td class="num"`; cell text may use
    /// `code` and **bold** (`HTML.inline`).
    public var html: String {
        func row(_ cells: [String], tag: String) -> String {
            "<tr>" + header.indices.map { c in
                let cls = tag == "td" && rightAligned[c] ? " class=\"num\"" : ""
                return "<\(tag)\(cls)>\(HTML.inline(c < cells.count ? cells[c] : ""))</\(tag)>"
            }.joined() + "</tr>\n"
        }
        return "<table>\n" + row(header, tag: "th") + rows.map { row($0, tag: "td") }.joined() + "</table>\n"
    }
}
