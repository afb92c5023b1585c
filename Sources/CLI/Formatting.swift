import Foundation

/// Human-readable numbers for terminal output. Machine-readable output (`--json`) never goes through here.
enum Formatting {
    /// 15,470,264,320 → "15.47 G"; SI prefixes for counts.
    static func count(_ n: Int) -> String {
        let v = Double(n)
        let a = abs(v)
        if a >= 1e9 { return String(format: "%.2f G", v / 1e9) }
        if a >= 1e6 { return String(format: "%.2f M", v / 1e6) }
        if a >= 1e3 { return String(format: "%.1f k", v / 1e3) }
        return String(n)
    }

    /// Integers with thousands separators: 138357544 → "138,357,544".
    static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0, (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// Binary prefixes for bytes: 1536 → "1.50 KiB".
    static func bytes(_ n: Int) -> String { bytes(Double(n)) }

    static func bytes(_ v: Double) -> String {
        let a = abs(v)
        let kib = 1024.0, mib = kib * 1024, gib = mib * 1024
        if a >= gib { return String(format: "%.2f GiB", v / gib) }
        if a >= mib { return String(format: "%.2f MiB", v / mib) }
        if a >= kib { return String(format: "%.2f KiB", v / kib) }
        return String(format: "%.0f B", v)
    }

    /// Milliseconds with sensible precision: 0.0123 → "0.0123", 12.345 → "12.35".
    static func ms(_ v: Double) -> String {
        if v >= 100 { return String(format: "%.1f", v) }
        if v >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.4f", v)
    }

    static func fixed(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
}
