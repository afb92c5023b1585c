import Foundation
import NASArchitecture
import NASStatistics
import NASSupport

/// How a whole network's latency departs from the sum of its layer predictions, learnt from networks run end to
/// end (`nas calibrate`, stage 2): measured ≈ Σ predicted × exp(β · z), with z = (1, ln Σ predicted ms,
/// ln costed layers, share of layers predicted under `smallLayerMs`).
///
/// The sum misses what happens between layers (reorders between blocked layouts, the first touch of each
/// weight buffer, the input written by the primitive before) and whatever bias the layer models share. The
/// four features are those the sum already has at hand, so applying the correction costs one `exp` per
/// candidate. β is fitted to the mean absolute relative error (the figure it is judged by) and chosen by
/// cross-validation over networks against the plain sum: when the plain sum scores as well, the file records
/// that and the correction is not applied. The factor is clamped to [1/2, 2], so a network unlike any
/// calibration network is never moved further than that.
public struct NetworkLatencyCorrection: Sendable, Equatable {
    public static let fileName = "network-correction.json"
    public static let formatVersion = 1
    public static let featureNames = ["intercept", "ln_sum_ms", "ln_layers", "small_layer_share"]
    /// A layer predicted under this many milliseconds counts as small.
    public static let smallLayerMs = 0.05
    /// Fewer networks than this leave β underdetermined for 5-fold CV: no correction is fitted.
    public static let minimumNetworks = 20
    static let maxLogFactor = Foundation.log(2.0)

    /// β, in `featureNames` order.
    public let coefficients: [Double]
    /// Whether cross-validation preferred the correction to the plain sum; only then is it applied.
    public let applied: Bool
    public let networks: Int
    /// Out-of-fold scores over the networks: the plain sum and the corrected sum.
    public let plain: Scores
    public let corrected: Scores
    /// Which networks it was learnt from, for the record.
    public let source: String

    public struct Scores: Sendable, Equatable {
        public var mape: Double
        public var medianAPE: Double
        public init(mape: Double, medianAPE: Double) { self.mape = mape; self.medianAPE = medianAPE }

        init(predicted: [Double], measured: [Double]) {
            let ape = zip(predicted, measured).map { abs($0 / $1 - 1) }.sorted()
            let n = ape.count
            mape = ape.reduce(0, +) / Double(n)
            medianAPE = n % 2 == 1 ? ape[n / 2] : (ape[n / 2 - 1] + ape[n / 2]) / 2
        }
    }

    /// One network: its layer predictions summed, how many layers were costed and how many of them are small,
    /// and what it took end to end.
    public struct Sample: Sendable, Equatable {
        public var sumMs: Double
        public var layers: Int
        public var smallLayers: Int
        public var measuredMs: Double
        public init(sumMs: Double, layers: Int, smallLayers: Int, measuredMs: Double) {
            self.sumMs = sumMs; self.layers = layers; self.smallLayers = smallLayers; self.measuredMs = measuredMs
        }
    }

    public init(coefficients: [Double], applied: Bool, networks: Int, plain: Scores, corrected: Scores, source: String) throws {
        guard coefficients.count == Self.featureNames.count, coefficients.allSatisfy(\.isFinite) else {
            throw PredictorError("a network correction needs \(Self.featureNames.count) finite coefficients")
        }
        guard networks >= Self.minimumNetworks else {
            throw PredictorError("a network correction needs at least \(Self.minimumNetworks) networks, got \(networks)")
        }
        for s in [plain, corrected] where !(s.mape.isFinite && s.mape >= 0 && s.medianAPE.isFinite && s.medianAPE >= 0) {
            throw PredictorError("a network correction's scores must be finite and non-negative")
        }
        self.coefficients = coefficients; self.applied = applied; self.networks = networks
        self.plain = plain; self.corrected = corrected; self.source = source
    }

    /// The features of a network with layer sum `sumMs` over `layers` costed layers, `smallLayers` of them small.
    static func features(sumMs: Double, layers: Int, smallLayers: Int) -> [Double] {
        let n = Double(max(layers, 1))
        return [1, Foundation.log(max(sumMs, 1e-6)), Foundation.log(n), Double(smallLayers) / n]
    }

    static func factor(_ beta: [Double], sumMs: Double, layers: Int, smallLayers: Int) -> Double {
        let z = features(sumMs: sumMs, layers: layers, smallLayers: smallLayers)
        let s = zip(beta, z).reduce(0) { $0 + $1.0 * $1.1 }
        return Foundation.exp(min(max(s, -maxLogFactor), maxLogFactor))
    }

    /// The factor on the layer sum for such a network: 1 when the correction is not applied.
    public func factor(sumMs: Double, layers: Int, smallLayers: Int) -> Double {
        applied ? Self.factor(coefficients, sumMs: sumMs, layers: layers, smallLayers: smallLayers) : 1
    }

    /// "× 0.93 on 112 networks (CV MAPE 12.8 % → 6.1 %)", or why it is not applied.
    public var summary: String {
        let scores = "out-of-fold MAPE of \(networks) networks: plain sum \(Self.percent(plain.mape)), corrected \(Self.percent(corrected.mape))"
        return applied ? "network-level correction applied (\(scores))" : "network-level correction not applied: the plain sum scored as well (\(scores))"
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }

    // MARK: Fit

    /// Fits β on all `samples` and scores it against the plain sum by seeded 5-fold cross-validation over
    /// networks; `applied` when the corrected out-of-fold MAPE is lower. Throws with fewer than
    /// `minimumNetworks` samples or a sample that is not positive and finite.
    public static func fit(_ samples: [Sample], seed: UInt64, source: String) throws -> NetworkLatencyCorrection {
        guard samples.count >= minimumNetworks else {
            throw PredictorError("a network correction needs at least \(minimumNetworks) networks measured end to end, got \(samples.count)")
        }
        for s in samples where !(s.sumMs.isFinite && s.sumMs > 0 && s.measuredMs.isFinite && s.measuredMs > 0 && s.layers > 0
                                 && s.smallLayers >= 0 && s.smallLayers <= s.layers) {
            throw PredictorError("a network correction sample must have positive, finite times and 0 ≤ small ≤ layers, got \(s)")
        }
        var outOfFold = Array(repeating: 0.0, count: samples.count)
        for test in CrossValidation.foldAssignment(n: samples.count, seed: seed) {
            let testSet = Set(test)
            let train = samples.indices.filter { !testSet.contains($0) }.map { samples[$0] }
            let beta = try fitCoefficients(train)
            for i in test {
                let s = samples[i]
                outOfFold[i] = s.sumMs * factor(beta, sumMs: s.sumMs, layers: s.layers, smallLayers: s.smallLayers)
            }
        }
        let measured = samples.map(\.measuredMs)
        let plain = Scores(predicted: samples.map(\.sumMs), measured: measured)
        let corrected = Scores(predicted: outOfFold, measured: measured)
        return try NetworkLatencyCorrection(coefficients: try fitCoefficients(samples), applied: corrected.mape < plain.mape,
                                            networks: samples.count, plain: plain, corrected: corrected, source: source)
    }

    /// β minimising the mean absolute relative error of Σ predicted × exp(β·z): least squares on
    /// ln(measured / sum) to start, then the same reweighted Gauss–Newton steps as `relative_power_law`.
    static func fitCoefficients(_ samples: [Sample]) throws -> [Double] {
        let design = samples.map { features(sumMs: $0.sumMs, layers: $0.layers, smallLayers: $0.smallLayers) }
        let ratio = samples.map { $0.measuredMs / $0.sumMs }
        // Columns that do not vary (e.g. no small layer anywhere) are left at 0, so the solve stays well posed.
        let varying = (1..<featureNames.count).filter { c in Set(design.map { $0[c] }).count > 1 }
        let columns = [0] + varying
        let reduced = design.map { z in columns.map { z[$0] } }
        let start = try LinearLeastSquares.fit(X: reduced, y: ratio.map { Foundation.log($0) }, intercept: false).coefficients
        let beta = RelativeErrorFit.powerLaw(design: reduced, actual: ratio, start: start)
        var full = Array(repeating: 0.0, count: featureNames.count)
        for (j, c) in columns.enumerated() { full[c] = shortFloat(beta[j]) }
        return full
    }

    // MARK: File

    public var jsonValue: JSONValue {
        func scores(_ s: Scores) -> JSONValue { ["mape": JSONValue(s.mape), "median_ape": JSONValue(s.medianAPE)] }
        return .object([
            "format_version": JSONValue(Self.formatVersion), "source": .string(source), "networks": JSONValue(networks),
            "features": .array(Self.featureNames.map { .string($0) }), "small_layer_ms": JSONValue(Self.smallLayerMs),
            "coefficients": .array(coefficients.map { JSONValue($0) }), "applied": .bool(applied),
            "cv_plain_sum": scores(plain), "cv_corrected": scores(corrected),
        ])
    }

    /// SHA-256 of the file's text, for run records: a recalibration changes it, so a resumed run notices.
    public var sha256: String { SHA256.hex(Array(fileText.utf8)) }

    var fileText: String { jsonValue.serialized(pretty: true) + "\n" }

    public func write(to path: String) throws { try AtomicFile.write(fileText, to: path) }

    /// Reads `network-correction.json`; errors name the file. A damaged file is refused, never ignored.
    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PredictorError(file: path, "cannot read the network correction (unreadable)")
        }
        func fail(_ why: String) -> PredictorError { PredictorError(file: path, "corrupt network correction: \(why); run nas calibrate again") }
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch let e as JSONValueError { throw fail(e.description) }
        guard let o = root.objectValue else { throw fail("not a JSON object") }
        let keys: Set<String> = ["format_version", "source", "networks", "features", "small_layer_ms", "coefficients",
                                 "applied", "cv_plain_sum", "cv_corrected"]
        if let unknown = o.keys.sorted().first(where: { !keys.contains($0) }) { throw fail("unknown key '\(unknown)'") }
        guard o["format_version"]?.intValue == Self.formatVersion else { throw fail("format_version must be \(Self.formatVersion)") }
        guard o["features"]?.arrayValue?.compactMap(\.stringValue) == Self.featureNames,
              o["small_layer_ms"]?.doubleValue == Self.smallLayerMs else {
            throw fail("'features' and 'small_layer_ms' must be \(Self.featureNames) and \(Self.smallLayerMs)")
        }
        guard let source = o["source"]?.stringValue, let networks = o["networks"]?.intValue,
              let values = o["coefficients"]?.arrayValue, case .bool(let applied)? = o["applied"] else {
            throw fail("'source', 'networks', 'coefficients' or 'applied' is missing")
        }
        let beta = values.compactMap(\.doubleValue)
        guard beta.count == values.count else { throw fail("'coefficients' must be numbers") }
        func scores(_ key: String) throws -> Scores {
            guard let s = o[key]?.objectValue, let mape = s["mape"]?.doubleValue, let median = s["median_ape"]?.doubleValue else {
                throw fail("'\(key)' needs 'mape' and 'median_ape'")
            }
            return Scores(mape: mape, medianAPE: median)
        }
        do {
            try self.init(coefficients: beta, applied: applied, networks: networks, plain: try scores("cv_plain_sum"),
                          corrected: try scores("cv_corrected"), source: source)
        } catch let e as PredictorError { throw fail(e.message) }
    }
}
