import Foundation
import NASArchitecture

/// What nested cross-validation says of one (kind, metric): the honest score of the whole training
/// procedure (outlier rule, selection, refit), not of the model that selection happened to like best.
public struct NestedScores: Hashable, Sendable {
    /// Outer folds; each ran the whole procedure on the other folds.
    public var outerFolds: Int
    /// The candidate each outer fold's inner selection picked: a stable pick says the choice is not luck.
    public var picks: [ModelCandidate]
    /// Outer-fold scores without the rows the outlier rule flags on all data (the paper's convention);
    /// nil when none is flagged.
    public var inlierScores: Scores?
    /// ln(measured / predicted) of every row's outer-fold prediction, ascending, to four significant digits: the spread of this model's
    /// errors on layers it never saw, from which `DevicePredictor` derives per-prediction uncertainty.
    public var logRatios: [Double]

    public init(outerFolds: Int, picks: [ModelCandidate], inlierScores: Scores?, logRatios: [Double]) {
        self.outerFolds = outerFolds; self.picks = picks; self.inlierScores = inlierScores; self.logRatios = logRatios
    }

    var json: JSONValue {
        var o: [String: JSONValue] = [
            "outer_folds": JSONValue(outerFolds), "picks": .array(picks.map { .string($0.description) }),
            "log_ratios": .array(logRatios.map { .number($0) }),
        ]
        if let inlierScores { o["inlier_scores"] = inlierScores.json }
        return .object(o)
    }

    init(json: JSONValue, file: String) throws {
        func corrupt(_ why: String) -> PredictorError { PredictorError(file: file, "corrupt manifest: nested_cv \(why)") }
        guard let folds = json["outer_folds"]?.intValue, folds > 0 else { throw corrupt("lacks a positive 'outer_folds'") }
        guard let picks = json["picks"]?.arrayValue?.map({ $0.stringValue.flatMap(ModelCandidate.init(name:)) }),
              picks.allSatisfy({ $0 != nil }) else { throw corrupt("'picks' must name known candidates") }
        guard let ratios = json["log_ratios"]?.arrayValue?.map(\.doubleValue), ratios.allSatisfy({ $0?.isFinite == true }) else {
            throw corrupt("'log_ratios' must hold finite numbers")
        }
        let sorted = ratios.map { $0! }
        guard zip(sorted, sorted.dropFirst()).allSatisfy({ $0 <= $1 }) else { throw corrupt("'log_ratios' must be ascending") }
        self.init(outerFolds: folds, picks: picks.map { $0! },
                  inlierScores: try json["inlier_scores"].map { try Scores(json: $0, file: file) }, logRatios: sorted)
    }
}

/// A training row the outlier rule left out: it took far longer than the reference predicts for its size,
/// the mark of an untuned schedule rather than of the layer.
public struct OutlierRecord: Hashable, Sendable {
    /// `file:line` of the sample.
    public var source: String
    /// Measured value in the metric's unit.
    public var measured: Double
    /// Measured over the reference (a latency floor fitted to relative error on all training rows).
    public var ratio: Double

    var json: JSONValue {
        .object(["line": .string(source), "measured": .number(measured), "ratio": .number(ratio)])
    }

    init(source: String, measured: Double, ratio: Double) { self.source = source; self.measured = measured; self.ratio = ratio }

    init(json: JSONValue, file: String) throws {
        guard let s = json["line"]?.stringValue, let m = json["measured"]?.doubleValue, let r = json["ratio"]?.doubleValue else {
            throw PredictorError(file: file, "corrupt manifest: an 'outliers' entry lacks line, measured or ratio")
        }
        self.init(source: s, measured: m, ratio: r)
    }
}
