import Foundation
import NASArchitecture

/// The regression model families a bundle can choose from, in tie-break order (simplest first).
public enum RegressorFamily: String, CaseIterable, Codable, Hashable, Sendable, Comparable {
    /// The unfitted analytic roofline max(FLOPs/peak, bytes/bandwidth): no parameter, so its CV score is
    /// simply its error on the samples. Latency only. With a handful of samples it can beat every fitted family.
    case analyticRoofline = "analytic_roofline"
    /// The geometric mean of the training targets (the floor any model must beat).
    case constant
    /// The device's roofline time with a fixed overhead and one efficiency factor, y = t0 + roofline / η,
    /// fitted by least squares on relative error. Latency only.
    case roofline
    /// A per-device latency floor and two bottlenecks, y = t0 + max(a·FLOPs/peak, b·bytes/bandwidth), fitted
    /// to relative error (`LatencyFloorRegressor`). Latency only.
    case latencyFloor = "latency_floor"
    /// Least squares on log features through GSL. Time and power: log y = a + b·log(FLOPs/peak) +
    /// c·log(bytes/bandwidth); memory: log y = a + Σ bᵢ·log(input, weight, output elements).
    case linearLog = "linear_log"
    /// The same power law fitted to minimise mean absolute relative error, the figure it is judged by.
    case relativePowerLaw = "relative_power_law"
    /// k nearest neighbours (k = 3, uniform weights) on standardised log features.
    case knn
    /// Extremely randomized trees (Geurts et al. 2006), written in Swift.
    case extraTrees = "extra_trees"
    /// Gradient-boosted trees trained through XGBoost's C API; evaluated from its JSON model.
    case xgboost
    /// The roofline model as a prior with extremely randomized trees on its log residual. Latency only.
    case rooflineTrees = "roofline_extra_trees"
    /// The latency floor as a prior with extremely randomized trees on its log residual. Latency only.
    case floorTrees = "latency_floor_extra_trees"

    public static func < (a: RegressorFamily, b: RegressorFamily) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Families built on the roofline's time, which only make sense for time.
    public var isLatencyOnly: Bool {
        [.analyticRoofline, .roofline, .latencyFloor, .rooflineTrees, .floorTrees].contains(self)
    }

    /// Candidates for a metric.
    public static func candidates(for metric: Metric) -> [RegressorFamily] {
        metric == .latency ? allCases : allCases.filter { !$0.isLatencyOnly }
    }

    /// The concrete type implementing the family.
    var type: any Regressor.Type {
        switch self {
        case .analyticRoofline: return AnalyticRooflineRegressor.self
        case .constant: return ConstantRegressor.self
        case .roofline: return RooflineRegressor.self
        case .linearLog: return LinearLogRegressor.self
        case .knn: return KNNRegressor.self
        case .extraTrees: return ExtraTreesRegressor.self
        case .xgboost: return XGBoostRegressor.self
        case .rooflineTrees: return RooflineTreesRegressor.self
        case .latencyFloor: return LatencyFloorRegressor.self
        case .relativePowerLaw: return RelativePowerLawRegressor.self
        case .floorTrees: return FloorTreesRegressor.self
        }
    }

    /// File extension of the family's model file.
    var fileSuffix: String { self == .xgboost ? "xgboost.json" : "\(rawValue).json" }
}

/// One fit/predict protocol for every family.
///
/// Rows are `Features` vectors (already in log space) and targets are log-transformed by the caller, so a
/// regressor only ever sees a plain regression problem. `fit` must be deterministic for a given seed, and
/// `serialized()` must give byte-identical output for equal models.
public protocol LayerModel: Sendable {
    /// The prediction for one feature row (`Features.count` values), in the target's (log) space.
    func predict(_ row: UnsafeBufferPointer<Double>) -> Double
    /// The model file's bytes.
    func serialized() throws -> Data
}

/// A family that can be fitted: `LayerModel` plus fit and load.
public protocol Regressor: LayerModel {
    static var family: RegressorFamily { get }
    /// Fits on rows `X` (n × `Features.count`) and log targets `y` of `metric`. Throws when the family cannot
    /// fit this data (e.g. fewer samples than coefficients); cross-validation then skips the family.
    static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> Self
    /// Reads a model file written by `serialized()` for rows of `width` features (more than `Features.count`
    /// for a pooled model's inner model); errors name `file`.
    static func load(_ data: Data, file: String, width: Int) throws -> Self
}

extension Regressor {
    public static func load(_ data: Data, file: String) throws -> Self { try load(data, file: file, width: Features.count) }
}

extension LayerModel {
    public func predict(_ row: [Double]) -> Double {
        row.withUnsafeBufferPointer { predict($0) }
    }
}

/// Our own model files: a JSON object with `"family"`, `"format_version"` and the family's fields.
enum ModelJSON {
    static let formatVersion = 1

    static func encode(_ family: RegressorFamily, _ fields: [String: JSONValue]) -> Data {
        encode(family: family.rawValue, fields)
    }

    static func encode(family: String, _ fields: [String: JSONValue]) -> Data {
        var object = fields
        object["family"] = .string(family)
        object["format_version"] = JSONValue(formatVersion)
        return Data((JSONValue.object(object).serialized(pretty: false) + "\n").utf8)
    }

    /// Parses and checks the envelope; returns the object.
    static func decode(_ data: Data, family: RegressorFamily, file: String) throws -> [String: JSONValue] {
        try decode(data, familyName: family.rawValue, file: file)
    }

    static func decode(_ data: Data, familyName family: String, file: String) throws -> [String: JSONValue] {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch let e as JSONValueError {
            throw PredictorError(file: file, "corrupt model file: \(e.description)")
        }
        guard let object = root.objectValue else { throw PredictorError(file: file, "corrupt model file: not a JSON object") }
        guard object["family"]?.stringValue == family else {
            throw PredictorError(file: file, "model file is not a \(family) model (family \(object["family"]?.serialized(pretty: false) ?? "missing"))")
        }
        guard let v = object["format_version"]?.intValue, v == formatVersion else {
            throw PredictorError(file: file, "incompatible model file: format_version \(object["format_version"]?.serialized(pretty: false) ?? "missing"), this nas reads \(formatVersion)")
        }
        return object
    }

    static func doubles(_ object: [String: JSONValue], _ key: String, file: String) throws -> [Double] {
        try array(object, key, file: file, of: "numbers", \.doubleValue)
    }

    static func ints(_ object: [String: JSONValue], _ key: String, file: String) throws -> [Int] {
        try array(object, key, file: file, of: "integers", \.intValue)
    }

    private static func array<T>(_ object: [String: JSONValue], _ key: String, file: String, of what: String,
                                 _ element: (JSONValue) -> T?) throws -> [T] {
        guard let array = object[key]?.arrayValue else { throw PredictorError(file: file, "corrupt model file: missing array '\(key)'") }
        var out: [T] = []
        out.reserveCapacity(array.count)
        for v in array {
            guard let x = element(v) else { throw PredictorError(file: file, "corrupt model file: '\(key)' must hold \(what)") }
            out.append(x)
        }
        return out
    }

    static func double(_ object: [String: JSONValue], _ key: String, file: String) throws -> Double {
        guard let d = object[key]?.doubleValue else { throw PredictorError(file: file, "corrupt model file: missing number '\(key)'") }
        return d
    }

    static func array(_ values: [Double]) -> JSONValue { .array(values.map { .number($0) }) }
    static func array(_ values: [Int]) -> JSONValue { .array(values.map { .number(Double($0)) }) }
}

/// Errors from fitting: the family cannot be used on this data.
struct FitError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Rounds to the nearest Float so that stored numbers are short and read back exactly.
@inline(__always) func shortFloat(_ x: Double) -> Double { Double(Float(x)) }
