import Foundation
import NASArchitecture

/// Roofline-informed trees: the roofline model (y = t0 + roofline / η) as a prior, and extremely randomized
/// trees fitted to what it gets wrong (log y − log prior). Latency only. Where the trees have nothing to say
/// (a region without samples) the prediction falls back towards the calibrated roofline instead of towards
/// the mean of the training set.
public struct RooflineTreesRegressor: Regressor {
    public static let family = RegressorFamily.rooflineTrees
    public var prior: RooflineRegressor
    public var trees: ExtraTreesRegressor

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> RooflineTreesRegressor {
        let prior = try RooflineRegressor.fit(X: X, y: y, metric: metric, seed: seed)
        let residual = zip(X, y).map { $1 - prior.predict($0) }
        return RooflineTreesRegressor(prior: prior, trees: try ExtraTreesRegressor.fit(X: X, y: residual, metric: metric, seed: seed))
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
            "formula": "log latency_ms = log(overhead_ms + slowdown × roofline_ms) + mean of the residual trees",
        ])
    }

    public static func load(_ data: Data, file: String) throws -> RooflineTreesRegressor {
        let o = try ModelJSON.decode(data, family: family, file: file)
        guard var p = o["prior"]?.objectValue, var t = o["residual_trees"]?.objectValue else {
            throw PredictorError(file: file, "corrupt model file: missing 'prior' or 'residual_trees'")
        }
        p["family"] = .string(RegressorFamily.roofline.rawValue); p["format_version"] = JSONValue(ModelJSON.formatVersion)
        t["family"] = .string(RegressorFamily.extraTrees.rawValue); t["format_version"] = JSONValue(ModelJSON.formatVersion)
        return RooflineTreesRegressor(
            prior: try RooflineRegressor.load(Data(JSONValue.object(p).serialized(pretty: false).utf8), file: file),
            trees: try ExtraTreesRegressor.load(Data(JSONValue.object(t).serialized(pretty: false).utf8), file: file))
    }
}
