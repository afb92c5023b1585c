import Foundation
import NASArchitecture

/// A physical model whose log residual extremely randomized trees can correct.
public protocol TreePrior: Regressor {
    /// The family of the prior-plus-trees model.
    static var withTreesFamily: RegressorFamily { get }
    /// The formula of the combined model, as written into its file.
    static var withTreesFormula: String { get }
}

extension RooflineRegressor: TreePrior {
    public static let withTreesFamily = RegressorFamily.rooflineTrees
    public static let withTreesFormula = "log latency_ms = log(overhead_ms + slowdown × roofline_ms) + mean of the residual trees"
}

extension LatencyFloorRegressor: TreePrior {
    public static let withTreesFamily = RegressorFamily.floorTrees
    public static let withTreesFormula = "log latency_ms = log(floor_ms + max(compute_slowdown × compute_ms, memory_slowdown × memory_ms)) + mean of the residual trees"
}

/// A physical model as the prior, and extremely randomized trees fitted to what it gets wrong
/// (log y − log prior). Latency only. Where the trees have nothing to say (a region without samples) the
/// prediction falls back towards the calibrated physics instead of towards the mean of the training set.
public struct PriorTreesRegressor<Prior: TreePrior>: Regressor {
    public static var family: RegressorFamily { Prior.withTreesFamily }
    public var prior: Prior
    public var trees: ExtraTreesRegressor

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> PriorTreesRegressor {
        let prior = try Prior.fit(X: X, y: y, metric: metric, seed: seed)
        let residual = zip(X, y).map { $1 - prior.predict($0) }
        return PriorTreesRegressor(prior: prior, trees: try ExtraTreesRegressor.fit(X: X, y: residual, metric: metric, seed: seed))
    }

    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double {
        prior.predict(row) + trees.predict(row)
    }

    public func serialized() throws -> Data {
        let p = try JSONValue.parse(try prior.serialized()).objectValue ?? [:]
        var t = try JSONValue.parse(try trees.serialized()).objectValue ?? [:]
        t.removeValue(forKey: "family"); t.removeValue(forKey: "format_version")
        return ModelJSON.encode(Self.family, [
            "prior": .object(p.filter { $0.key != "family" && $0.key != "format_version" }),
            "residual_trees": .object(t),
            "formula": .string(Prior.withTreesFormula),
        ])
    }

    public static func load(_ data: Data, file: String, width: Int) throws -> PriorTreesRegressor {
        let o = try ModelJSON.decode(data, family: family, file: file)
        guard var p = o["prior"]?.objectValue, var t = o["residual_trees"]?.objectValue else {
            throw PredictorError(file: file, "corrupt model file: missing 'prior' or 'residual_trees'")
        }
        p["family"] = .string(Prior.family.rawValue); p["format_version"] = JSONValue(ModelJSON.formatVersion)
        t["family"] = .string(RegressorFamily.extraTrees.rawValue); t["format_version"] = JSONValue(ModelJSON.formatVersion)
        return PriorTreesRegressor(
            prior: try Prior.load(Data(JSONValue.object(p).serialized(pretty: false).utf8), file: file, width: width),
            trees: try ExtraTreesRegressor.load(Data(JSONValue.object(t).serialized(pretty: false).utf8), file: file, width: width))
    }
}

public typealias RooflineTreesRegressor = PriorTreesRegressor<RooflineRegressor>
public typealias FloorTreesRegressor = PriorTreesRegressor<LatencyFloorRegressor>
