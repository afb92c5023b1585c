/// One block of a stage: a k×k convolution, or a depthwise-separable one (k×k depthwise then 1×1
/// pointwise), optionally dilated. Written `conv3x3`, `sep5x5`, `conv3x3_d2`.
public struct BlockType: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case conv, sep }
    public var kind: Kind
    public var kernel: Int
    public var dilation: Int

    public static let kernels: Set<Int> = [1, 3, 5, 7]
    public static let dilations = 1...4

    public init(kind: Kind, kernel: Int, dilation: Int = 1) {
        self.kind = kind; self.kernel = kernel; self.dilation = dilation
    }

    public var description: String {
        "\(kind.rawValue)\(kernel)x\(kernel)" + (dilation > 1 ? "_d\(dilation)" : "")
    }

    /// Parses the written form; the error says what is wrong with it.
    public init(parsing text: String) throws {
        let kind: Kind
        var rest: Substring
        if text.hasPrefix("conv") { kind = .conv; rest = text.dropFirst(4) }
        else if text.hasPrefix("sep") { kind = .sep; rest = text.dropFirst(3) }
        else { throw SearchError("block '\(text)' must start with 'conv' or 'sep' (e.g. conv3x3, sep5x5, conv3x3_d2)") }
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
}
