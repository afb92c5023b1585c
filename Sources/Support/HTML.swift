import Foundation

/// The little HTML that reports need: escaping, and the two inline marks our report text uses.
public enum HTML {
    /// Text made safe for element content and attribute values.
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Escaped text with `code` and **bold** spans turned into elements. Report text is written with these
    /// Markdown marks so the .md file reads well; this renders the same text for the .html file.
    public static func inline(_ text: String) -> String {
        var s = escape(text)
        s = replacePairs(s, marker: "`", open: "<code>", close: "</code>")
        s = replacePairs(s, marker: "**", open: "<b>", close: "</b>")
        return s
    }

    /// An unpaired last marker stays as it was.
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
