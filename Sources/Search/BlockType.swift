/// One block of a stage: a k×k convolution, a depthwise-separable one (k×k depthwise then 1×1 pointwise),
/// optionally dilated, or a MobileNetV2 inverted residual (1×1 expansion by E, k×k depthwise, linear 1×1
/// projection, and a skip connection whenever the block keeps the shape). Written `conv3x3`, `sep5x5`,
/// `conv3x3_d2`, `mb6_3x3`.
public struct BlockType: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case conv, sep, mb }
    public var kind: Kind
    public var kernel: Int
    public var dilation: Int
    /// The inverted residual's expansion ratio (1: no expansion layer); 1 for the other kinds.
    public var expansion: Int

    public static let kernels: Set<Int> = [1, 3, 5, 7]
    public static let dilations = 1...4
    public static let expansions = 1...8

    public init(kind: Kind, kernel: Int, dilation: Int = 1, expansion: Int = 1) {
        self.kind = kind; self.kernel = kernel; self.dilation = dilation; self.expansion = expansion
    }

    public var description: String {
        if kind == .mb { return "mb\(expansion)_\(kernel)x\(kernel)" }
        return "\(kind.rawValue)\(kernel)x\(kernel)" + (dilation > 1 ? "_d\(dilation)" : "")
    }

    /// Parses the written form; the error says what is wrong with it.
    public init(parsing text: String) throws {
        if text.hasPrefix("mb") {
            try self.init(invertedResidual: text)
            return
        }
        let kind: Kind
        var rest: Substring
        if text.hasPrefix("conv") { kind = .conv; rest = text.dropFirst(4) }
        else if text.hasPrefix("sep") { kind = .sep; rest = text.dropFirst(3) }
        else { throw SearchError("block '\(text)' must start with 'conv', 'sep' or 'mb' (e.g. conv3x3, sep5x5, conv3x3_d2, mb6_3x3)") }
        var dilation = 1
        if let u = rest.firstIndex(of: "_") {
            let suffix = rest[rest.index(after: u)...]
            guard suffix.first == "d", let d = Int(suffix.dropFirst()), String(d) == String(suffix.dropFirst()) else {
                throw SearchError("block '\(text)': dilation suffix must be _d2, _d3 or _d4")
            }
            dilation = d
            rest = rest[..<u]
        }
        let parts = rest.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let kh = Int(parts[0]), let kw = Int(parts[1]), String(kh) == parts[0], String(kw) == parts[1] else {
            throw SearchError("block '\(text)': kernel must be written KxK (e.g. conv3x3)")
        }
        guard kh == kw else { throw SearchError("block '\(text)': only square kernels are supported") }
        guard BlockType.kernels.contains(kh) else { throw SearchError("block '\(text)': kernel must be 1, 3, 5 or 7") }
        guard BlockType.dilations.contains(dilation), dilation > 1 || !text.contains("_") else {
            throw SearchError("block '\(text)': dilation must be 2, 3 or 4")
        }
        guard dilation == 1 || kh > 1 else { throw SearchError("block '\(text)': a 1×1 kernel cannot be dilated") }
        self.init(kind: kind, kernel: kh, dilation: dilation)
    }

    /// `mbE_KxK`: expansion E in 1...8, kernel 3, 5 or 7 (a 1×1 depthwise mixes nothing).
    private init(invertedResidual text: String) throws {
        let body = text.dropFirst(2)
        let parts = body.split(separator: "_", omittingEmptySubsequences: false)
        let example = "(e.g. mb6_3x3: expansion 6, 3×3 depthwise)"
        guard parts.count == 2, let e = Int(parts[0]), String(e) == parts[0] else {
            throw SearchError("block '\(text)': an inverted residual is written mbE_KxK \(example)")
        }
        guard BlockType.expansions.contains(e) else { throw SearchError("block '\(text)': expansion must lie within 1...8, got \(e)") }
        let k = parts[1].split(separator: "x", omittingEmptySubsequences: false)
        guard k.count == 2, let kh = Int(k[0]), let kw = Int(k[1]), String(kh) == k[0], String(kw) == k[1] else {
            throw SearchError("block '\(text)': kernel must be written KxK \(example)")
        }
        guard kh == kw else { throw SearchError("block '\(text)': only square kernels are supported") }
        guard [3, 5, 7].contains(kh) else { throw SearchError("block '\(text)': kernel must be 3, 5 or 7") }
        self.init(kind: .mb, kernel: kh, expansion: e)
    }
}
