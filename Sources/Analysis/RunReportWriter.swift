import Foundation
import NASSearch
import NASStatistics
import NASSupport

/// Writes `report.md`, `report.html` and `plots/*.svg` into a run folder. Every file is written atomically.
public struct RunReportWriter {
    public var directory: String
    public var title: String
    /// Sections in order: a heading and Markdown body each.
    public var sections: [(heading: String, markdown: String)] = []
    /// Plots to write, by file stem.
    public var plots: [(name: String, caption: String, plot: SVGPlot)] = []

    /// File stem of the Markdown and HTML files: `report` → report.md and report.html.
    public var stem: String

    public init(directory: String, title: String, stem: String = "report") {
        self.directory = directory
        self.title = title
        self.stem = stem
    }

    public mutating func section(_ heading: String, _ markdown: String) { sections.append((heading, markdown)) }

    public mutating func plot(_ name: String, caption: String, _ plot: SVGPlot) { plots.append((name, caption, plot)) }

    /// Writes everything; returns the paths written.
    @discardableResult
    public func write() throws -> [String] {
        let plotDir = directory + "/plots"
        try FileManager.default.createDirectory(atPath: plotDir, withIntermediateDirectories: true)
        var written: [String] = []
        for p in plots {
            let path = "\(plotDir)/\(p.name).svg"
            try AtomicFile.write(p.plot.render(), to: path)
            written.append(path)
        }
        var md = "# \(title)\n\n"
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 0.8em 0; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; }
            th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            code { background: #f5f5f5; padding: 0 3px; } figure { margin: 1em 0; } figcaption { color: #555; font-size: 13px; }
            </style></head><body>
            <h1>\(Self.escape(title))</h1>

            """
        for s in sections {
            md += "## \(s.heading)\n\n\(s.markdown)\n"
            html += "<h2>\(Self.escape(s.heading))</h2>\n\(MarkdownToHTML.convert(s.markdown))\n"
        }
        if !plots.isEmpty {
            md += "## Plots\n\n"
            html += "<h2>Plots</h2>\n"
            for p in plots {
                md += "![\(p.caption)](plots/\(p.name).svg)\n\n*\(p.caption)*\n\n"
                html += "<figure><img src=\"plots/\(p.name).svg\" alt=\"\(Self.escape(p.caption))\"><figcaption>\(Self.escape(p.caption))</figcaption></figure>\n"
            }
        }
        html += "</body></html>\n"
        try AtomicFile.write(md, to: "\(directory)/\(stem).md")
        try AtomicFile.write(html, to: "\(directory)/\(stem).html")
        return written + ["\(directory)/\(stem).md", "\(directory)/\(stem).html"]
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Just enough Markdown for our own reports: paragraphs, bullet lists, pipe tables, `code` and **bold**.
enum MarkdownToHTML {
    static func convert(_ markdown: String) -> String {
        var out = ""
        var lines = markdown.components(separatedBy: "\n")[...]
        while let line = lines.first {
            if line.hasPrefix("|") {
                var rows: [[String]] = []
                var align: [Bool] = []
                while let l = lines.first, l.hasPrefix("|") {
                    lines.removeFirst()
                    let cells = l.trimmingCharacters(in: .whitespaces).dropFirst().dropLast()
                        .components(separatedBy: " | ").map { $0.trimmingCharacters(in: .whitespaces) }
                    if cells.allSatisfy({ $0.hasPrefix("---") || $0.hasPrefix(":--") }) {
                        align = cells.map { $0.hasSuffix(":") }
                    } else {
                        rows.append(cells)
                    }
                }
                out += "<table>\n"
                for (r, row) in rows.enumerated() {
                    out += "<tr>" + row.enumerated().map { c, cell in
                        let tag = r == 0 ? "th" : "td"
                        let cls = r > 0 && c < align.count && align[c] ? " class=\"num\"" : ""
                        return "<\(tag)\(cls)>\(inline(cell))</\(tag)>"
                    }.joined() + "</tr>\n"
                }
                out += "</table>\n"
            } else if line.hasPrefix("- ") {
                out += "<ul>\n"
                while let l = lines.first, l.hasPrefix("- ") {
                    lines.removeFirst()
                    out += "<li>\(inline(String(l.dropFirst(2))))</li>\n"
                }
                out += "</ul>\n"
            } else if line.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.removeFirst()
            } else {
                var para: [String] = []
                while let l = lines.first, !l.hasPrefix("|"), !l.hasPrefix("- "), !l.trimmingCharacters(in: .whitespaces).isEmpty {
                    lines.removeFirst()
                    para.append(l)
                }
                out += "<p>\(inline(para.joined(separator: " ")))</p>\n"
            }
        }
        return out
    }

    static func inline(_ text: String) -> String {
        var s = RunReportWriter.escape(text)
        s = replacePairs(s, marker: "`", open: "<code>", close: "</code>")
        s = replacePairs(s, marker: "**", open: "<b>", close: "</b>")
        return s
    }

    private static func replacePairs(_ s: String, marker: String, open: String, close: String) -> String {
        let parts = s.components(separatedBy: marker)
        guard parts.count >= 3 else { return s }
        var out = ""
        for (i, p) in parts.enumerated() {
            if i == 0 { out += p; continue }
            let isOpen = i % 2 == 1
            if isOpen && i == parts.count - 1 { out += marker + p; continue }
            out += (isOpen ? open : close) + p
        }
        return out
    }
}
