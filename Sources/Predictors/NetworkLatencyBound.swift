import Foundation
import NASArchitecture
import NASSupport

/// An upper bound on a whole network's latency at a stated confidence, by split-conformal calibration:
/// `measured ≤ predicted × factor(confidence)` for a new network drawn like the calibration networks.
///
/// The scores are r = ln(measured / predicted) of the calibration set, whole networks that the bundle never
/// trained on, predicted by the bundle and measured end to end (`nas calibrate`). For n scores and confidence c,
/// the bound uses the k-th smallest score with k = ⌈(n + 1)·c⌉ (the finite-sample correction); when k > n the
/// set is too small to promise c, and there is no bound. The guarantee is marginal (over networks drawn like the
/// calibration set), not per network, and does not hold for networks a search selected on their error.
public struct NetworkLatencyBound: Sendable, Equatable {
    public static let fileName = "network-bound.json"
    public static let formatVersion = 1
    public static let method = "split-conformal on ln(measured / predicted) of whole networks not trained on"

    /// Ascending.
    public let logRatios: [Double]
    /// Which networks the scores come from, for the record (e.g. "60 random networks of cifar-32, …").
    public let source: String

    public init(logRatios: [Double], source: String) throws {
        guard !logRatios.isEmpty else { throw PredictorError("a network bound needs at least one calibration network") }
        guard logRatios.allSatisfy({ $0.isFinite && abs($0) <= Self.maxAbsLogRatio }) else {
            throw PredictorError("a network bound's log-ratios must be finite and within ±\(Self.maxAbsLogRatio)")
        }
        self.logRatios = logRatios.sorted()
        self.source = source
    }

    /// ln(measured / predicted) beyond ±20 (a factor of 5 × 10⁸) is a broken measurement, not a calibration.
    static let maxAbsLogRatio = 20.0

    public var networks: Int { logRatios.count }

    /// SHA-256 of the file's text, for run records: a recalibration changes it, so a resumed run notices.
    public var sha256: String { SHA256.hex(Array(fileText.utf8)) }

    /// The 1-based rank ⌈(n + 1)·c⌉ of the score that bounds at confidence `c` in (0, 1), or nil when it exceeds
    /// `n` (too few networks for `c`: at c = 0.9 that needs n ≥ 9).
    public static func rank(networks n: Int, confidence c: Double) -> Int? {
        guard n > 0, c > 0, c < 1 else { return nil }
        // The small tolerance keeps (n + 1)·c that is an integer in exact arithmetic (e.g. 19 × 0.9... ≈ 17.1,
        // 9 × 0.9 = 8.1, 99 × 0.9 ≈ 89.1) from rounding up one rank through binary floating point.
        let k = Int((Double(n + 1) * c - 1e-9).rounded(.up))
        return k <= n ? Swift.max(k, 1) : nil
    }

    /// The factor on the predicted latency, exp(k-th smallest score); nil when there are too few networks for `c`.
    public func factor(confidence c: Double) -> Double? {
        Self.rank(networks: networks, confidence: c).map { exp(logRatios[$0 - 1]) }
    }

    /// The fewest calibration networks that give a bound at `c`.
    public static func networksNeeded(confidence c: Double) -> Int {
        var n = 1
        while rank(networks: n, confidence: c) == nil && n < 1_000_000 { n += 1 }
        return n
    }

    // MARK: File

    public var jsonValue: JSONValue {
        .object(["format_version": JSONValue(Self.formatVersion), "method": .string(Self.method), "source": .string(source),
                 "networks": JSONValue(networks), "log_ratios": .array(logRatios.map { JSONValue($0) })])
    }

    /// Reads `network-bound.json`; errors name the file. A damaged file is refused, never replaced by no bound.
    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PredictorError(file: path, "cannot read the network bound (unreadable)")
        }
        func fail(_ why: String) -> PredictorError { PredictorError(file: path, "corrupt network bound: \(why); run nas calibrate again") }
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch let e as JSONValueError { throw fail(e.description) }
        guard let o = root.objectValue else { throw fail("not a JSON object") }
        let keys: Set<String> = ["format_version", "method", "source", "networks", "log_ratios"]
        if let unknown = o.keys.sorted().first(where: { !keys.contains($0) }) { throw fail("unknown key '\(unknown)'") }
        guard let version = o["format_version"]?.intValue, version == Self.formatVersion else {
            throw fail("format_version must be \(Self.formatVersion)")
        }
        guard o["method"]?.stringValue == Self.method else { throw fail("'method' is not \"\(Self.method)\"") }
        guard let source = o["source"]?.stringValue else { throw fail("'source' is missing") }
        guard let values = o["log_ratios"]?.arrayValue, let n = o["networks"]?.intValue else {
            throw fail("'networks' or 'log_ratios' is missing")
        }
        let ratios = values.compactMap(\.doubleValue)
        guard ratios.count == values.count, ratios.count == n, n > 0 else {
            throw fail("'log_ratios' must be \(n) numbers, as 'networks' says")
        }
        guard zip(ratios, ratios.dropFirst()).allSatisfy({ $0 <= $1 }) else { throw fail("'log_ratios' are not ascending") }
        do { try self.init(logRatios: ratios, source: source) } catch let e as PredictorError { throw fail(e.message) }
    }

    var fileText: String { jsonValue.serialized(pretty: true) + "\n" }

    public func write(to path: String) throws {
        try AtomicFile.write(fileText, to: path)
    }
}
