import Foundation
import NASArchitecture
@preconcurrency import CXGBoost

/// Gradient-boosted trees, trained through XGBoost's C API (libxgboost 1.7) and stored as XGBoost's own
/// JSON model file.
///
/// Predictions are evaluated in Swift from that JSON (base score plus the leaf of every tree, with
/// XGBoost's float32 comparisons), because one C API prediction call costs tens of microseconds and the
/// search needs a layer prediction in about one. Every fit checks that the Swift evaluation agrees with
/// `XGBoosterPredict` on the training rows.
///
/// Training is deterministic and thread-count independent: one thread, the exact greedy tree method, no
/// row or column sampling and a fixed seed, so re-running writes a byte-identical model file.
public struct XGBoostRegressor: Regressor {
    public static let family = RegressorFamily.xgboost
    public static let rounds = 150
    public static let parameters: [(String, String)] = [
        ("objective", "reg:squarederror"), ("tree_method", "exact"), ("nthread", "1"), ("seed", "0"),
        ("max_depth", "3"), ("eta", "0.1"), ("min_child_weight", "1"), ("lambda", "1"),
        ("subsample", "1"), ("colsample_bytree", "1"), ("verbosity", "0"),
    ]

    /// The model file exactly as XGBoost wrote it.
    public var modelJSON: Data
    var baseScore: Float
    var roots: [Int32]
    var feature: [Int32]
    /// Split condition, or the leaf value for leaves (feature -1).
    var condition: [Float]
    var left: [Int32]
    var right: [Int32]
    var defaultLeft: [Bool]
    /// The same nodes packed 16 bytes each, for prediction.
    private var nodes: [Node] = []

    struct Node: Sendable {
        var feature: Int32
        var left: Int32
        var right: Int32
        var condition: Float
    }

    init(modelJSON: Data, baseScore: Float, roots: [Int32], feature: [Int32], condition: [Float], left: [Int32],
         right: [Int32], defaultLeft: [Bool]) {
        self.modelJSON = modelJSON; self.baseScore = baseScore; self.roots = roots; self.feature = feature
        self.condition = condition; self.left = left; self.right = right; self.defaultLeft = defaultLeft
    }

    private mutating func pack() {
        nodes = (0..<feature.count).map { Node(feature: feature[$0], left: left[$0], right: right[$0], condition: condition[$0]) }
    }

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> XGBoostRegressor {
        guard !y.isEmpty, X.count == y.count else { throw FitError("no samples") }
        let rows = X.count, cols = X[0].count
        let flat = X.flatMap { $0.map(Float.init) }
        let labels = y.map(Float.init)
        func check(_ status: Int32, _ what: String) throws {
            if status != 0 { throw FitError("XGBoost \(what): \(String(cString: XGBGetLastError()))") }
        }
        var matrix: DMatrixHandle?
        try check(XGDMatrixCreateFromMat(flat, UInt64(rows), UInt64(cols), Float.nan, &matrix), "DMatrix")
        defer { XGDMatrixFree(matrix) }
        try check(XGDMatrixSetFloatInfo(matrix, "label", labels, UInt64(rows)), "labels")
        var booster: BoosterHandle?
        var matrices: [DMatrixHandle?] = [matrix]
        try check(XGBoosterCreate(&matrices, 1, &booster), "create")
        defer { XGBoosterFree(booster) }
        for (name, value) in parameters { try check(XGBoosterSetParam(booster, name, value), "parameter \(name)") }
        // Start from the mean target so that few shallow trees suffice (the 1.7 default is 0.5).
        let mean = Float(y.reduce(0, +) / Double(y.count))
        try check(XGBoosterSetParam(booster, "base_score", "\(mean)"), "parameter base_score")
        for round in 0..<rounds { try check(XGBoosterUpdateOneIter(booster, Int32(round), matrix), "round \(round)") }

        var length: UInt64 = 0
        var buffer: UnsafePointer<CChar>?
        try check(XGBoosterSaveModelToBuffer(booster, "{\"format\": \"json\"}", &length, &buffer), "save")
        // The buffer belongs to the booster: copy it before anything else touches the booster.
        let json = Data(bytes: buffer!, count: Int(length))
        let model = try parse(json, file: "<fitted XGBoost model>", width: cols)

        var predictedLength: UInt64 = 0
        var predicted: UnsafePointer<Float>?
        try check(XGBoosterPredict(booster, matrix, 0, 0, 0, &predictedLength, &predicted), "predict")
        let reference = Array(UnsafeBufferPointer(start: predicted, count: Int(predictedLength)))
        for (i, row) in X.enumerated() {
            let ours = model.predict(row)
            if abs(ours - Double(reference[i])) > 1e-4 * max(1, abs(Double(reference[i]))) {
                throw FitError("XGBoost: the Swift evaluation of the JSON model gives \(ours) on row \(i), XGBoost \(reference[i])")
            }
        }
        return model
    }

    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double {
        var sum = baseScore
        nodes.withUnsafeBufferPointer { n in
            for root in roots {
                var i = Int(root)
                while true {
                    let node = n[i]
                    if node.feature < 0 { sum += node.condition; break }
                    i = Float(row[Int(node.feature)]) < node.condition ? Int(node.left) : Int(node.right)
                }
            }
        }
        return Double(sum)
    }

    public func serialized() throws -> Data { modelJSON }

    public static func load(_ data: Data, file: String, width: Int) throws -> XGBoostRegressor {
        try parse(data, file: file, width: width)
    }

    /// Reads XGBoost's JSON model format (1.x) into flat arrays.
    static func parse(_ data: Data, file: String, width: Int = Features.count) throws -> XGBoostRegressor {
        func corrupt(_ why: String) -> PredictorError { PredictorError(file: file, "corrupt XGBoost model: \(why)") }
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch let e as JSONValueError { throw corrupt(e.description) }
        guard let version = root["version"]?.arrayValue?.compactMap(\.intValue), version.first == 1 else {
            throw PredictorError(file: file, "incompatible XGBoost model: version \(root["version"]?.serialized(pretty: false) ?? "missing"), expected 1.x")
        }
        guard let learner = root["learner"] else { throw corrupt("missing 'learner'") }
        guard let baseText = learner["learner_model_param"]?["base_score"]?.stringValue, let base = Float(baseText) else {
            throw corrupt("missing learner_model_param.base_score")
        }
        guard let objective = learner["objective"]?["name"]?.stringValue, objective == "reg:squarederror" else {
            throw corrupt("objective must be reg:squarederror")
        }
        guard let trees = learner["gradient_booster"]?["model"]?["trees"]?.arrayValue else {
            throw corrupt("missing learner.gradient_booster.model.trees")
        }
        var model = XGBoostRegressor(modelJSON: data, baseScore: base, roots: [], feature: [], condition: [],
                                     left: [], right: [], defaultLeft: [])
        for (t, tree) in trees.enumerated() {
            func ints(_ key: String) throws -> [Int] {
                guard let a = tree[key]?.arrayValue else { throw corrupt("tree \(t) has no '\(key)'") }
                return try a.map {
                    if let n = $0.intValue { return n }
                    if let b = $0.boolValue { return b ? 1 : 0 }
                    throw corrupt("tree \(t) '\(key)' must hold integers")
                }
            }
            let l = try ints("left_children"), r = try ints("right_children"), s = try ints("split_indices")
            let dl = try ints("default_left")
            guard let conditions = tree["split_conditions"]?.arrayValue?.compactMap(\.doubleValue) else {
                throw corrupt("tree \(t) has no 'split_conditions'")
            }
            let n = l.count
            guard n > 0, r.count == n, s.count == n, dl.count == n, conditions.count == n else {
                throw corrupt("tree \(t) arrays have different lengths")
            }
            let offset = model.feature.count
            model.roots.append(Int32(offset))
            for i in 0..<n {
                let isLeaf = l[i] == -1
                if !isLeaf {
                    guard l[i] > i, l[i] < n, r[i] > i, r[i] < n, (0..<width).contains(s[i]) else {
                        throw corrupt("tree \(t) node \(i) has children or a feature out of range")
                    }
                }
                model.feature.append(isLeaf ? -1 : Int32(s[i]))
                model.condition.append(Float(conditions[i]))
                model.left.append(isLeaf ? -1 : Int32(offset + l[i]))
                model.right.append(isLeaf ? -1 : Int32(offset + r[i]))
                model.defaultLeft.append(dl[i] != 0)
            }
        }
        guard !model.roots.isEmpty else { throw corrupt("no trees") }
        model.pack()
        return model
    }

    /// XGBoost's version string, e.g. "1.7.4".
    public static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        XGBoostVersion(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
