import Foundation
import NASSearch
import NASStatistics
import NASSupport

/// Writes `report.md`, `report.html` and `plots/*.svg` into a run folder. Every file is written atomically.
public struct RunReportWriter {
    public var directory: String
    public var title: String
    /// Sections in order: a heading and the blocks of its body.
    public var sections: [(heading: String, blocks: [ReportBlock])] = []
    /// Plots to write, by file stem.
    public var plots: [(name: String, caption: String, plot: SVGPlot)] = []

    /// File stem of the Markdown and HTML files: `report` → report.md and report.html.
    public var stem: String

    public init(directory: String, title: String, stem: String = "report") {
        self.directory = directory
        self.title = title
        self.stem = stem
    }

    public mutating func section(_ heading: String, _ blocks: [ReportBlock]) { sections.append((heading, blocks)) }

    public mutating func section(_ heading: String, _ blocks: ReportBlock...) { section(heading, blocks) }

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
            <html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(title))</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 0.8em 0; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; }
            th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            code { background: #f5f5f5; padding: 0 3px; } figure { margin: 1em 0; } figcaption { color: #555; font-size: 13px; }
            </style></head><body>
            <h1>\(HTML.escape(title))</h1>

            """
        for s in sections {
            md += "## \(s.heading)\n\n\(ReportBlock.markdown(s.blocks))\n"
            html += "<h2>\(HTML.escape(s.heading))</h2>\n" + s.blocks.map(\.html).joined() + "\n"
        }
        if !plots.isEmpty {
            md += "## Plots\n\n"
            html += "<h2>Plots</h2>\n"
            for p in plots {
                md += "![\(p.caption)](plots/\(p.name).svg)\n\n*\(p.caption)*\n\n"
                html += "<figure><img src=\"plots/\(p.name).svg\" alt=\"\(HTML.escape(p.caption))\"><figcaption>\(HTML.escape(p.caption))</figcaption></figure>\n"
            }
        }
        html += "</body></html>\n"
        try AtomicFile.write(md, to: "\(directory)/\(stem).md")
        try AtomicFile.write(html, to: "\(directory)/\(stem).html")
        return written + ["\(directory)/\(stem).md", "\(directory)/\(stem).html"]
    }
}
