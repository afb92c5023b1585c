import Foundation
import Testing
import NASSupport

@Suite struct JSONLinesTests {
    struct Point: Codable, Equatable { var x: Int; var name: String? }

    @Test func linesAreNumberedLikeAnEditorAndATornTailIsMarked() {
        let lines = JSONLines.split(Data("{\"x\":1}\n\n{\"x\":2}\n{\"x\":".utf8))
        #expect(lines.map(\.number) == [1, 3, 4])
        #expect(lines.map(\.isTerminated) == [true, true, false])
        #expect(String(decoding: lines[1].bytes, as: UTF8.self) == "{\"x\":2}")
        #expect(JSONLines.split(Data()).isEmpty)
        #expect(JSONLines.split(Data("\n\n".utf8)).isEmpty)
    }

    @Test func recordsAreWrittenWithSortedKeysAndReadBack() throws {
        let path = NSTemporaryDirectory() + "nas-jsonlines-\(UUID().uuidString)/points.jsonl"
        let log = try JSONLinesFile(appendingTo: path, sync: .onClose)
        try log.append(Point(x: 1, name: "a/b"))
        try log.append(Point(x: 2, name: nil))
        log.sync()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"name\":\"a/b\",\"x\":1}\n{\"x\":2}\n")
        #expect(try JSONLines.read(Point.self, from: path) == [Point(x: 1, name: "a/b"), Point(x: 2)])
        #expect(try JSONLines.read(Point.self, from: path + ".missing").isEmpty)
    }

    @Test func aBadLineNamesFileLineAndKey() throws {
        let path = NSTemporaryDirectory() + "nas-jsonlines-\(UUID().uuidString).jsonl"
        try Data("{\"x\":1}\n{\"x\":\"one\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: FileError(path: "\(path):2", "'x' must be an integer")) { try JSONLines.read(Point.self, from: path) }
        try Data("{\"x\":1}\n\n{\"name\":\"n\"}\n{\"x\":".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: FileError(path: "\(path):3", "missing 'x'")) { try JSONLines.read(Point.self, from: path) }
    }

    struct Outer: Decodable { var inner: [Point] }

    func message(_ json: String, droppingFirst depth: Int = 0) -> String {
        do {
            _ = try JSONDecoder().decode(Outer.self, from: Data(json.utf8))
            return "decoded"
        } catch {
            return DecodingErrorText.describe(error, droppingFirst: depth)
        }
    }

    @Test func decodingErrorsReadAsOneLineNamingTheKey() {
        #expect(message(#"{"inner": [{"x": 1}, {"name": "n"}]}"#) == "missing 'inner[1].x'")
        #expect(message(#"{"inner": [{"x": 1}, {"name": "n"}]}"#, droppingFirst: 1) == "missing '[1].x'")
        #expect(message(#"{"inner": [{"x": null}]}"#) == "'inner[0].x' must be an integer, not null")
        #expect(message(#"{"inner": {"x": 1}}"#) == "'inner' must be an array")
        #expect(message(#"{"inner": [{"x": 1, "name": 2}]}"#) == "'inner[0].name' must be a string")
        #expect(message(#"[]"#) == "the value must be an object")
    }
}
