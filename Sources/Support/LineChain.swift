import Foundation

/// A chain of checks over the lines of an append-only JSON-lines file: each line ends with
/// `"check":"<16 hex digits>"`, the 64-bit FNV-1a hash of the previous line's check and this line without its own.
///
/// A line edited by hand, a line removed or moved, or a line from another file then fails the chain, so a
/// resume or a report never builds on a record nas did not write. It detects edits and corruption; it is not a
/// signature (anyone can recompute it), and it costs a few nanoseconds per byte.
public enum LineChain {
    /// The check before the first line.
    public static let start = "0000000000000000"

    private static let key = Array(#","check":""#.utf8)
    /// `,"check":"` + 16 hex digits + `"}`.
    private static let suffixLength = key.count + 16 + 2

    /// `body` (one JSON object, `{…}`) with its check appended as the last key, and that check.
    public static func seal(_ body: [UInt8], after previous: String) -> (line: [UInt8], check: String) {
        var line: [UInt8] = []
        let check = seal(body, after: previous, into: &line)
        return (line, check)
    }

    /// Appends the sealed line (without a newline) to `out`; returns its check.
    static func seal(_ body: [UInt8], after previous: String, into out: inout [UInt8]) -> String {
        precondition(body.last == UInt8(ascii: "}") && body.count > 2, "a sealed line is one JSON object with keys")
        let check = self.check(body, after: previous)
        out += body[..<(body.endIndex - 1)]
        out += key
        out += check.utf8
        out += #""}"#.utf8
        return check
    }

    /// The body and check of a sealed line, or nil when the line carries no check.
    public static func unseal(_ line: ArraySlice<UInt8>) -> (body: [UInt8], check: String)? {
        guard line.count >= suffixLength + 1, line.last == UInt8(ascii: "}") else { return nil }
        let suffixStart = line.endIndex - suffixLength
        guard line[suffixStart..<(suffixStart + key.count)].elementsEqual(key) else { return nil }
        let hex = line[(suffixStart + key.count)..<(line.endIndex - 2)]
        guard hex.allSatisfy(isHexDigit), line[line.endIndex - 2] == UInt8(ascii: "\"") else { return nil }
        return (Array(line[..<suffixStart]) + [UInt8(ascii: "}")], String(decoding: hex, as: UTF8.self))
    }

    /// The check of `body` after the line whose check is `previous`.
    public static func check(_ body: [UInt8], after previous: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in previous.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        for b in body { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b)
    }
}

/// Whether a file's lines carry checks: files written before checks existed carry none, and stay that way.
public enum LineChainState: Equatable, Sendable {
    case unsealed
    case sealed(after: String)

    /// Appends the next line for `body` to `out` (sealed after this state, or as it is in an unsealed file) and
    /// its newline, and moves on to the state after it.
    public mutating func append(_ body: [UInt8], to out: inout [UInt8]) {
        if case .sealed(let previous) = self {
            self = .sealed(after: LineChain.seal(body, after: previous, into: &out))
        } else {
            out += body
        }
        out.append(0x0A)
    }
}

/// Reads a chained file line by line, checking each line against the one before.
public struct LineChainReader {
    public struct Mismatch: Error, CustomStringConvertible {
        public var description: String
    }

    /// Where the chain stands after the lines read so far.
    public private(set) var state = LineChainState.sealed(after: LineChain.start)
    private var lines = 0

    public init() {}

    /// The line without its check, or a `Mismatch` saying what is wrong with it.
    public mutating func next(_ line: ArraySlice<UInt8>) throws -> ArraySlice<UInt8> {
        lines += 1
        switch (LineChain.unseal(line), state) {
        case (let (body, check)?, .sealed(let previous)):
            guard LineChain.check(body, after: previous) == check else {
                throw Mismatch(description: "its check does not match: the line was changed after nas wrote it, or a line before it was removed or changed")
            }
            state = .sealed(after: check)
            return body[...]
        case (nil, _) where lines == 1:
            state = .unsealed
            return line
        case (nil, .unsealed):
            return line
        case (nil, .sealed):
            throw Mismatch(description: "the line has no check while the lines before it have one: it was not written by nas")
        case (_?, .unsealed):
            throw Mismatch(description: "the line has a check while the lines before it have none: the file was put together from others")
        }
    }

    /// The state after the complete lines of the file at `path` (unsealed when it ends in an unsealed line; a
    /// missing file is a chain not yet begun). Reads only the end of the file: the last complete line.
    public static func state(ofFile path: String) throws -> LineChainState {
        guard FileManager.default.fileExists(atPath: path) else { return .sealed(after: LineChain.start) }
        guard let file = FileHandle(forReadingAtPath: path) else { throw FileError(path: path, "cannot read file") }
        defer { try? file.close() }
        do {
            let size = try file.seekToEnd()
            var window: UInt64 = 64 * 1024
            while true {
                let start = size > window ? size - window : 0
                try file.seek(toOffset: start)
                let bytes = [UInt8](try file.readToEnd() ?? Data())
                guard let end = bytes.lastIndex(of: 0x0A) else {
                    if start == 0 { return .sealed(after: LineChain.start) }
                    window *= 4
                    continue
                }
                guard let newline = bytes[..<end].lastIndex(of: 0x0A) ?? (start == 0 ? -1 : nil) else {
                    window *= 4
                    continue
                }
                guard let (_, check) = LineChain.unseal(bytes[(newline + 1)..<end]) else { return .unsealed }
                return .sealed(after: check)
            }
        } catch {
            throw FileError(path: path, "cannot read (\((error as NSError).localizedDescription))")
        }
    }
}
