import NASSupport

/// One piece of a report section, kept as structure so that the Markdown and the HTML report are rendered
/// from the same content (no Markdown is parsed back).
public enum ReportBlock: Sendable, Equatable {
    /// A paragraph; may use `code` and **bold**.
    case paragraph(String)
    case bullets([String])
    case table(Table)

    public var markdown: String {
        switch self {
        case .paragraph(let text): return text + "\n"
        case .bullets(let items): return items.map { "- " + $0 }.joined(separator: "\n") + "\n"
        case .table(let table): return table.markdown
        }
    }

    public var html: String {
        switch self {
        case .paragraph(let text): return "<p>\(HTML.inline(text))</p>\n"
        case .bullets(let items): return "<ul>\n" + items.map { "<li>\(HTML.inline($0))</li>\n" }.joined() + "</ul>\n"
        case .table(let table): return table.html
        }
    }

    /// Blocks one blank line apart, as a section body.
    public static func markdown(_ blocks: [ReportBlock]) -> String { blocks.map(\.markdown).joined(separator: "\n") }
}
