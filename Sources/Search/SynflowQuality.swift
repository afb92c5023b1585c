import NASArchitecture

/// Synflow as a quality estimator, optionally at a reduced input resolution to keep it affordable.
public struct SynflowQuality: QualityEstimator {
    public let seed: UInt64
    /// The longer input side is scaled down to this (keeping the aspect ratio); nil computes at full resolution.
    public let resolution: Int?
    /// Input height and width of the space the estimator was made for, for the note.
    let fullH: Int, fullW: Int

    public init(seed: UInt64, resolution: Int?, inputH: Int, inputW: Int) {
        self.seed = seed
        self.resolution = resolution
        fullH = inputH; fullW = inputW
    }

    public var name: String { "synflow" }

    public var settings: [String: String] {
        ["seed": String(seed), "resolution": resolution.map(String.init) ?? "full",
         "score": "ln Σ|θ·∂R/∂θ| over conv and dense weights, float64, all-ones input, BatchNorm left out"]
    }

    public var note: String? {
        let (h, w) = Self.reduced(fullH, fullW, resolution)
        guard (h, w) != (fullH, fullW) else { return nil }
        return "synflow is computed at a reduced \(h)×\(w) input (the space's is \(fullH)×\(fullW)) for speed; `nas synflow-agreement` measures its rank agreement with full resolution"
    }

    static func reduced(_ h: Int, _ w: Int, _ resolution: Int?) -> (Int, Int) {
        guard let r = resolution, max(h, w) > r else { return (h, w) }
        let f = Double(r) / Double(max(h, w))
        return (max(1, Int((Double(h) * f).rounded())), max(1, Int((Double(w) * f).rounded())))
    }

    public func quality(of network: ResolvedNetwork) -> QualityOutcome {
        var a = network.architecture
        let (h, w) = Self.reduced(a.inputH, a.inputW, resolution)
        let net: ResolvedNetwork
        if (h, w) == (a.inputH, a.inputW) {
            net = network
        } else {
            a.inputH = h; a.inputW = w
            do { net = try a.resolved() } catch {
                return QualityOutcome(failure: "synflow at \(h)×\(w): \(error)")
            }
        }
        let s = Synflow(seed: seed).logScore(net)
        guard s.isFinite else { return QualityOutcome(failure: "synflow: the network has no conv or dense weights") }
        return QualityOutcome(value: s)
    }
}
