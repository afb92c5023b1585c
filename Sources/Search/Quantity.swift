import Foundation

/// Strict reading of a cost with its unit, such as `20ms`, `0.5J` or `64MiB`, into the metric's unit.
public enum Quantity {
    /// Accepted units per metric and their factor to `metric.unit`.
    public static func units(_ metric: CostMetric) -> KeyValuePairs<String, Double> {
        switch metric {
        case .latency: return ["us": 1e-3, "µs": 1e-3, "ms": 1, "s": 1000]
        case .energy: return ["uJ": 1e-3, "µJ": 1e-3, "mJ": 1, "J": 1000]
        case .memory: return ["B": 1.0 / 1_048_576, "KiB": 1.0 / 1024, "MiB": 1, "GiB": 1024]
        }
    }

    private static func unitList(_ metric: CostMetric) -> String {
        units(metric).map(\.key).filter { !$0.hasPrefix("µ") }.joined(separator: ", ")
    }

    /// The positive value of `text` in `metric.unit`; the error says what is wrong, without saying where.
    public static func parse(_ text: String, metric: CostMetric) throws -> Double {
        let example = metric == .latency ? "20ms" : metric == .energy ? "300mJ" : "64MiB"
        let t = Substring(text)
        if t.isEmpty { throw SearchError("empty value (write a number and a unit, e.g. \(example))") }
        if t.first == "-" { throw SearchError("'\(text)' is negative; a budget must be positive") }
        var end = t.startIndex
        while end < t.endIndex, t[end].isASCII, t[end].isNumber || t[end] == "." { end = t.index(after: end) }
        let number = t[..<end]
        var unit = t[end...]
        if unit.first == " " { unit = unit.dropFirst() }
        let shape = number.split(separator: ".", omittingEmptySubsequences: false)
        guard !number.isEmpty, shape.count <= 2, shape.allSatisfy({ !$0.isEmpty }), let value = Double(number) else {
            throw SearchError("'\(text)' is not a number followed by a unit (e.g. \(example))")
        }
        if unit.isEmpty { throw SearchError("'\(text)' has no unit (use \(unitList(metric)), e.g. \(example))") }
        guard let factor = units(metric).first(where: { $0.key == unit })?.value else {
            var hint = ""
            if metric == .memory, ["KB", "MB", "GB", "kB"].contains(String(unit)) { hint = "; memory takes binary units" }
            throw SearchError("'\(text)' has unknown unit '\(unit)' for \(metric.rawValue) (use \(unitList(metric))\(hint))")
        }
        guard value > 0 else { throw SearchError("'\(text)' is zero; a budget must be positive") }
        return value * factor
    }

    /// `value` (in `metric.unit`) written with the metric's unit and enough digits to be read back closely.
    public static func format(_ value: Double, _ metric: CostMetric, significant: Int = 4) -> String {
        "\(formatNumber(value, significant: significant)) \(metric.unit)"
    }

    /// `significant` digits (trailing zeros dropped), without exponent for everyday magnitudes. With `truncate`
    /// the digits are cut rather than rounded, so a value just under a budget never prints as the budget.
    public static func formatNumber(_ v: Double, significant: Int = 4, truncate: Bool = false) -> String {
        guard v.isFinite else { return "\(v)" }
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e7 || a < 1e-4 {
            return String(format: "%.\(significant - 1)e", v)
        }
        let digits = max(0, significant - 1 - Int(floor(log10(a))))
        var shown = v
        if truncate {
            let scale = pow(10, Double(digits))
            shown = (v * scale).rounded(.towardZero) / scale
        }
        var s = String(format: "%.\(digits)f", shown)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
