import Foundation

/// A small scatter/line plot written as SVG, so reports need no browser or plotting stack.
///
/// It draws what reports need and nothing more: labelled axes with readable ticks (linear or log),
/// point series, polylines, horizontal/vertical reference lines, a shaded band and a legend.
public struct SVGPlot {
    public enum Scale: Sendable { case linear, log }

    public struct Series {
        public var label: String
        public var points: [(x: Double, y: Double)]
        public var color: String
        /// Draw as connected line instead of dots.
        public var line: Bool = false
        public var radius: Double = 3
        public var opacity: Double = 0.8
        public init(label: String, points: [(x: Double, y: Double)], color: String, line: Bool = false,
                    radius: Double = 3, opacity: Double = 0.8) {
            self.label = label; self.points = points; self.color = color; self.line = line
            self.radius = radius; self.opacity = opacity
        }
    }

    /// A straight reference line: horizontal (`y`), vertical (`x`), or through two points.
    public struct ReferenceLine {
        public var label: String
        public var from: (x: Double, y: Double)
        public var to: (x: Double, y: Double)
        public var color: String
        public var dashed: Bool
        public init(label: String, from: (x: Double, y: Double), to: (x: Double, y: Double), color: String, dashed: Bool = true) {
            self.label = label; self.from = from; self.to = to; self.color = color; self.dashed = dashed
        }
    }

    /// A region between two polylines sharing x values (e.g. a ±10% band).
    public struct Band {
        public var label: String
        public var lower: [(x: Double, y: Double)]
        public var upper: [(x: Double, y: Double)]
        public var color: String
        public init(label: String, lower: [(x: Double, y: Double)], upper: [(x: Double, y: Double)], color: String) {
            self.label = label; self.lower = lower; self.upper = upper; self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale = .linear
    public var yScale: Scale = .linear
    public var series: [Series] = []
    public var lines: [ReferenceLine] = []
    public var bands: [Band] = []
    public var width = 720.0
    public var height = 480.0

    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"]

    public init(title: String, xLabel: String, yLabel: String, xScale: Scale = .linear, yScale: Scale = .linear) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.xScale = xScale; self.yScale = yScale
    }

    private let margin = (left: 80.0, right: 24.0, top: 40.0, bottom: 60.0)

    /// The plot area and the data-to-pixel mapping of both axes.
    private struct Frame {
        let left: Double, top: Double, width: Double, height: Double
        let xRange: (Double, Double), yRange: (Double, Double)
        let xScale: Scale, yScale: Scale

        /// Where `v` falls along an axis, 0…1 inside the range, clamped a little outside it.
        private static func fraction(_ v: Double, _ range: (Double, Double), _ scale: Scale) -> Double {
            let t = scale == .log ? (log10(max(v, 1e-300)) - log10(range.0)) / (log10(range.1) - log10(range.0))
                                  : (v - range.0) / (range.1 - range.0)
            return min(max(t, -0.02), 1.02)
        }
        func x(_ v: Double) -> Double { left + Self.fraction(v, xRange, xScale) * width }
        func y(_ v: Double) -> Double { top + height - Self.fraction(v, yRange, yScale) * height }
    }

    private func frame() -> Frame {
        var xs: [Double] = [], ys: [Double] = []
        for s in series { for p in s.points { xs.append(p.x); ys.append(p.y) } }
        for l in lines { xs += [l.from.x, l.to.x]; ys += [l.from.y, l.to.y] }
        for b in bands { for p in b.lower + b.upper { xs.append(p.x); ys.append(p.y) } }
        let xRange = Self.range(xs.filter { $0.isFinite && (xScale == .linear || $0 > 0) }, scale: xScale)
        let yRange = Self.range(ys.filter { $0.isFinite && (yScale == .linear || $0 > 0) }, scale: yScale)
        return Frame(left: margin.left, top: margin.top, width: width - margin.left - margin.right,
                     height: height - margin.top - margin.bottom, xRange: xRange, yRange: yRange,
                     xScale: xScale, yScale: yScale)
    }

    public func render() -> String {
        let frame = frame()
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="22" text-anchor="middle" font-size="15" font-weight="bold">\(esc(title))</text>

            """
        svg += axes(frame) + marks(frame) + legend(frame)
        svg += "</svg>\n"
        return svg
    }

    /// Grid, tick labels, the plot border and the axis labels.
    private func axes(_ fr: Frame) -> String {
        var svg = ""
        for v in Self.ticks(fr.xRange, scale: xScale) {
            let x = fr.x(v)
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(fr.top))\" x2=\"\(f(x))\" y2=\"\(f(fr.top + fr.height))\" stroke=\"#e6e6e6\"/>\n"
            svg += "<text x=\"\(f(x))\" y=\"\(f(fr.top + fr.height + 18))\" text-anchor=\"middle\">\(Self.label(v))</text>\n"
        }
        for v in Self.ticks(fr.yRange, scale: yScale) {
            let y = fr.y(v)
            svg += "<line x1=\"\(f(fr.left))\" y1=\"\(f(y))\" x2=\"\(f(fr.left + fr.width))\" y2=\"\(f(y))\" stroke=\"#e6e6e6\"/>\n"
            svg += "<text x=\"\(f(fr.left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Self.label(v))</text>\n"
        }
        svg += "<rect x=\"\(f(fr.left))\" y=\"\(f(fr.top))\" width=\"\(f(fr.width))\" height=\"\(f(fr.height))\" fill=\"none\" stroke=\"#333\"/>\n"
        svg += "<text x=\"\(f(fr.left + fr.width / 2))\" y=\"\(f(height - 16))\" text-anchor=\"middle\" font-size=\"13\">\(esc(xLabel))</text>\n"
        svg += "<text transform=\"translate(18 \(f(fr.top + fr.height / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(esc(yLabel))</text>\n"
        return svg
    }

    /// Bands, reference lines and series, in that order so points are drawn on top.
    private func marks(_ fr: Frame) -> String {
        var svg = ""
        for b in bands where !b.lower.isEmpty {
            let pts = (b.lower + b.upper.reversed()).map { "\(f(fr.x($0.x))),\(f(fr.y($0.y)))" }.joined(separator: " ")
            svg += "<polygon points=\"\(pts)\" fill=\"\(b.color)\" fill-opacity=\"0.15\" stroke=\"none\"/>\n"
        }
        for l in lines {
            let dash = l.dashed ? " stroke-dasharray=\"6 4\"" : ""
            svg += "<line x1=\"\(f(fr.x(l.from.x)))\" y1=\"\(f(fr.y(l.from.y)))\" x2=\"\(f(fr.x(l.to.x)))\" y2=\"\(f(fr.y(l.to.y)))\" stroke=\"\(l.color)\" stroke-width=\"1.5\"\(dash)/>\n"
        }
        for s in series {
            let visible = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            if s.line {
                let pts = visible.map { "\(f(fr.x($0.x))),\(f(fr.y($0.y)))" }.joined(separator: " ")
                svg += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"/>\n"
            } else {
                for p in visible {
                    svg += "<circle cx=\"\(f(fr.x(p.x)))\" cy=\"\(f(fr.y(p.y)))\" r=\"\(f(s.radius))\" fill=\"\(s.color)\" fill-opacity=\"\(f(s.opacity))\"/>\n"
                }
            }
        }
        return svg
    }

    /// The legend, top right inside the plot; none when fewer than two marks are named.
    private func legend(_ fr: Frame) -> String {
        let entries: [(String, String, String)] = series.map { ($0.label, $0.color, $0.line ? "line" : "dot") }
            + lines.map { ($0.label, $0.color, "dash") } + bands.map { ($0.label, $0.color, "band") }
        let named = entries.filter { !$0.0.isEmpty }
        guard named.count > 1 else { return "" }
        let boxW = 24.0 + Double(named.map(\.0.count).max()!) * 6.8 + 12
        let x0 = fr.left + fr.width - boxW - 8
        var y = fr.top + 8
        var svg = "<rect x=\"\(f(x0))\" y=\"\(f(y))\" width=\"\(f(boxW))\" height=\"\(f(Double(named.count) * 18 + 8))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n"
        for (label, color, kind) in named {
            y += 18
            switch kind {
            case "dot": svg += "<circle cx=\"\(f(x0 + 12))\" cy=\"\(f(y - 4))\" r=\"4\" fill=\"\(color)\"/>\n"
            case "band": svg += "<rect x=\"\(f(x0 + 5))\" y=\"\(f(y - 9))\" width=\"14\" height=\"10\" fill=\"\(color)\" fill-opacity=\"0.3\"/>\n"
            default:
                let dash = kind == "dash" ? " stroke-dasharray=\"4 3\"" : ""
                svg += "<line x1=\"\(f(x0 + 4))\" y1=\"\(f(y - 4))\" x2=\"\(f(x0 + 20))\" y2=\"\(f(y - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>\n"
            }
            svg += "<text x=\"\(f(x0 + 26))\" y=\"\(f(y))\">\(esc(label))</text>\n"
        }
        return svg
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }
    private func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func range(_ values: [Double], scale: Scale) -> (Double, Double) {
        guard let lo = values.min(), let hi = values.max() else { return scale == .log ? (1, 10) : (0, 1) }
        if scale == .log {
            let a = log10(lo), b = log10(hi)
            let pad = max((b - a) * 0.05, 0.05)
            return (pow(10, a - pad), pow(10, b + pad))
        }
        if lo == hi { return (lo - max(abs(lo) * 0.1, 1), hi + max(abs(hi) * 0.1, 1)) }
        let pad = (hi - lo) * 0.05
        return (lo - pad, hi + pad)
    }

    /// About five "nice" ticks (1, 2, 5 × 10^k) inside the range; decades on a log scale.
    static func ticks(_ r: (Double, Double), scale: Scale) -> [Double] {
        if scale == .log {
            var out: [Double] = []
            var e = floor(log10(r.0))
            while pow(10, e) <= r.1 {
                let mantissas: [Double] = log10(r.1 / r.0) < 1.2 ? [1, 1.5, 2, 3, 5, 7] : [1, 2, 5]
                for m in mantissas where pow(10, e) * m >= r.0 && pow(10, e) * m <= r.1 { out.append(pow(10, e) * m) }
                e += 1
            }
            if out.count > 9 { out = out.filter { abs(log10($0).rounded() - log10($0)) < 1e-9 } }
            return out
        }
        let span = r.1 - r.0
        guard span > 0 else { return [r.0] }
        let raw = span / 5
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var out: [Double] = []
        var v = ceil(r.0 / step) * step
        while v <= r.1 + step * 1e-9 {
            out.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return out
    }

    private static func compact(_ v: Double) -> String {
        var s = String(format: "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func label(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e9 { return compact(v / 1e9) + "G" }
        if a >= 1e6 { return compact(v / 1e6) + "M" }
        if a < 1e-3 { return String(format: "%.0e", v) }
        if a >= 100 || v == v.rounded() { return String(format: "%.0f", v) }
        if a >= 1 { return String(format: "%.1f", v).replacingOccurrences(of: ".0", with: "") }
        var s = String(format: "%.3f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
