import Foundation
import NASArchitecture

/// The search-space JSON format (docs/search-space-format.md): strict reading, where every error names
/// the key, and a canonical writing that reads back to an equal space.
extension SearchSpace {
    public static let formatVersion = 1
    static let maxDepth = 16
    static let maxDenseLayers = 4

    /// Reads and validates a space file; errors start with the path.
    public static func load(path: String) throws -> SearchSpace {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SearchError("\(path): cannot read file (\((error as NSError).localizedDescription))")
        }
        do {
            return try SearchSpace(json: data)
        } catch let e as SearchError {
            throw SearchError("\(path): \(e.message)")
        } catch let e as JSONValueError {
            throw SearchError("\(path): \(e.description)")
        }
    }

    public init(json data: Data) throws {
        try self.init(jsonValue: try JSONValue.parse(data))
    }

    /// Parses and validates (`validate()`) a space.
    public init(jsonValue root: JSONValue) throws {
        let top = try SpaceReader(root, path: "space")
        try top.allow(["format_version", "name", "description", "input", "classes", "batch", "stem", "stages", "head"])
        if let v = try top.optionalInt("format_version"), v > SearchSpace.formatVersion || v < 1 {
            throw SearchError("'format_version' \(v) is not understood by this nas (it reads \(SearchSpace.formatVersion))")
        }
        let name = try top.string("name")
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw SearchError("'name' must be non-empty and use only letters, digits, '-', '_' and '.', got \"\(name)\"")
        }
        let description = try top.optionalString("description") ?? ""
        let input = try top.intArray("input")
        guard input.count == 3, input.allSatisfy({ $0 > 0 }) else {
            throw SearchError("'input' must be [H, W, C] with three positive integers, got \(input)")
        }
        let classes = try top.int("classes")
        guard classes >= 2 else { throw SearchError("'classes' must be at least 2, got \(classes)") }
        let batch = try top.optionalInt("batch") ?? 1
        guard batch >= 1 else { throw SearchError("'batch' must be positive, got \(batch)") }

        let stemReader = try top.object("stem")
        try stemReader.allow(["filters", "kernel", "stride"])
        let stem = Stem(filters: try stemReader.choices("filters"), kernel: try stemReader.int("kernel"),
                        stride: try stemReader.int("stride"))

        var stages: [Stage] = []
        let stageValues = try top.array("stages")
        guard !stageValues.isEmpty else { throw SearchError("'stages' must list at least one stage") }
        for (i, value) in stageValues.enumerated() {
            let s = try SpaceReader(value, path: "stages[\(i)]")
            let stageName = try s.optionalString("name") ?? "stage\(i + 1)"
            let named = try SpaceReader(value, path: "stages[\(i)] '\(stageName)'")
            try named.allow(["name", "depth", "blocks", "widths", "downsample"])
            let blocks = try named.strings("blocks").map { text -> BlockType in
                do { return try BlockType(parsing: text) } catch let e as SearchError {
                    throw SearchError("\(named.path): 'blocks': \(e.message)")
                }
            }
            let downs = try named.strings("downsample").map { text -> Downsampling in
                guard let d = Downsampling(rawValue: text) else {
                    throw SearchError("\(named.path): 'downsample': unknown value \"\(text)\" (allowed: \(Downsampling.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return d
            }
            stages.append(Stage(name: stageName, depth: try named.range("depth"), blocks: blocks,
                                widths: try named.choices("widths"), downsampling: downs))
        }

        let h = try top.object("head")
        try h.allow(["pooling", "dense"])
        let pooling = try h.strings("pooling").map { text -> HeadPooling in
            guard let p = HeadPooling(rawValue: text) else {
                throw SearchError("head: 'pooling': unknown value \"\(text)\" (allowed: \(HeadPooling.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return p
        }
        var denseCount = 0...0
        var denseWidths: [Int] = []
        if h.has("dense") {
            let d = try h.object("dense")
            try d.allow(["count", "widths"])
            denseCount = try d.range("count")
            denseWidths = try d.choices("widths")
        }
        self.init(name: name, description: description, inputH: input[0], inputW: input[1], inputC: input[2],
                  classes: classes, batch: batch, stem: stem, stages: stages,
                  head: Head(pooling: pooling, denseCount: denseCount, denseWidths: denseWidths))
        try validate()
    }

    /// The canonical JSON: every field written, keys sorted.
    public var jsonValue: JSONValue {
        func range(_ r: ClosedRange<Int>) -> JSONValue { JSONValue([r.lowerBound, r.upperBound]) }
        var head: [String: JSONValue] = ["pooling": .array(self.head.pooling.map { .string($0.rawValue) })]
        if self.head.denseCount.upperBound > 0 {
            head["dense"] = ["count": range(self.head.denseCount), "widths": JSONValue(self.head.denseWidths)]
        }
        return .object([
            "format_version": JSONValue(SearchSpace.formatVersion),
            "name": .string(name),
            "description": .string(description),
            "input": JSONValue([inputH, inputW, inputC]),
            "classes": JSONValue(classes),
            "batch": JSONValue(batch),
            "stem": ["filters": JSONValue(stem.filters), "kernel": JSONValue(stem.kernel), "stride": JSONValue(stem.stride)],
            "stages": .array(stages.map { s in
                [
                    "name": .string(s.name), "depth": range(s.depth),
                    "blocks": .array(s.blocks.map { .string($0.description) }),
                    "widths": JSONValue(s.widths),
                    "downsample": .array(s.downsampling.map { .string($0.rawValue) }),
                ]
            }),
            "head": .object(head),
        ])
    }
}

/// Typed access to one JSON object of a space, with errors that carry its path.
struct SpaceReader {
    let object: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String) throws {
        guard let o = value.objectValue else { throw SearchError("\(path) must be a JSON object") }
        object = o
        self.path = path
    }

    private func fail(_ key: String, _ message: String) -> SearchError {
        SearchError(path == "space" ? "'\(key)' \(message)" : "\(path): '\(key)' \(message)")
    }

    func allow(_ keys: Set<String>) throws {
        for key in object.keys.sorted() where !keys.contains(key) {
            let message = "unknown key '\(key)' (allowed: \(keys.sorted().joined(separator: ", ")))"
            throw SearchError(path == "space" ? message : "\(path): \(message)")
        }
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    private func required(_ key: String) throws -> JSONValue {
        guard let v = object[key] else { throw fail(key, "is missing") }
        return v
    }

    func string(_ key: String) throws -> String {
        guard let s = try required(key).stringValue else { throw fail(key, "must be a string") }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        guard object[key] != nil else { return nil }
        return try string(key)
    }

    func int(_ key: String) throws -> Int {
        guard let n = try required(key).intValue else { throw fail(key, "must be an integer") }
        return n
    }

    func optionalInt(_ key: String) throws -> Int? {
        guard object[key] != nil else { return nil }
        return try int(key)
    }

    func object(_ key: String) throws -> SpaceReader {
        let v = try required(key)
        guard v.objectValue != nil else { throw fail(key, "must be a JSON object") }
        return try SpaceReader(v, path: path == "space" ? key : "\(path).\(key)")
    }

    func array(_ key: String) throws -> [JSONValue] {
        guard let a = try required(key).arrayValue else { throw fail(key, "must be an array") }
        return a
    }

    func intArray(_ key: String) throws -> [Int] {
        let a = try array(key)
        let ints = a.compactMap(\.intValue)
        guard ints.count == a.count else { throw fail(key, "must be an array of integers") }
        return ints
    }

    /// A non-empty list of distinct strings.
    func strings(_ key: String) throws -> [String] {
        let a = try array(key)
        let s = a.compactMap(\.stringValue)
        guard s.count == a.count, !s.isEmpty else { throw fail(key, "must be a non-empty array of strings") }
        if let dup = firstDuplicate(s) { throw fail(key, "lists \"\(dup)\" twice") }
        return s
    }

    /// A non-empty list of distinct positive integers, or one positive integer.
    func choices(_ key: String) throws -> [Int] {
        let v = try required(key)
        if let n = v.intValue {
            guard n > 0 else { throw fail(key, "must be positive, got \(n)") }
            return [n]
        }
        guard let a = v.arrayValue else { throw fail(key, "must be a positive integer or a non-empty array of them") }
        let ints = a.compactMap(\.intValue)
        guard ints.count == a.count, !ints.isEmpty, ints.allSatisfy({ $0 > 0 }) else {
            throw fail(key, "must be a positive integer or a non-empty array of them")
        }
        if let dup = firstDuplicate(ints) { throw fail(key, "lists \(dup) twice") }
        return ints
    }

    /// `[min, max]` or one integer.
    func range(_ key: String) throws -> ClosedRange<Int> {
        let v = try required(key)
        if let n = v.intValue { return n...n }
        guard let a = v.arrayValue, a.count == 2, let lo = a[0].intValue, let hi = a[1].intValue else {
            throw fail(key, "must be an integer or [min, max]")
        }
        guard lo <= hi else { throw fail(key, "has min \(lo) above max \(hi)") }
        return lo...hi
    }

    private func firstDuplicate<T: Hashable>(_ items: [T]) -> T? {
        var seen = Set<T>()
        for x in items where !seen.insert(x).inserted { return x }
        return nil
    }
}
