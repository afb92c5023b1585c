import Foundation
import NASArchitecture
import Testing
@testable import NASSearch

@Suite struct SearchSpaceTests {
    static let valid = """
    {"name": "t", "input": [32, 32, 3], "classes": 10,
     "stem": {"filters": [8, 16], "kernel": 3, "stride": 1},
     "stages": [{"name": "a", "depth": [1, 2], "blocks": ["conv3x3", "sep5x5_d2"], "widths": [8, 16], "downsample": ["none", "stride2"]}],
     "head": {"pooling": ["global_avg"], "dense": {"count": [0, 1], "widths": [32]}}}
    """

    func parse(_ text: String) throws -> SearchSpace { try SearchSpace(json: Data(text.utf8)) }

    func error(_ text: String) -> String {
        do { _ = try parse(text); return "no error" } catch { return "\(error)" }
    }

    func edited(_ from: String, _ to: String) -> String {
        precondition(Self.valid.contains(from), from)
        return Self.valid.replacingOccurrences(of: from, with: to)
    }

    @Test func shippedSpacesLoad() throws {
        for name in Fixtures.shippedSpaces {
            let s = try Fixtures.space(name)
            #expect(s.name == name)
        }
        let m = try Fixtures.space("mobile-224")
        #expect((m.inputH, m.inputW, m.inputC, m.classes) == (224, 224, 3, 1000))
        let c = try Fixtures.space("cifar-32")
        #expect((c.inputH, c.inputW, c.inputC, c.classes) == (32, 32, 3, 10))
        let f = try Fixtures.space("fashion-mnist-28")
        #expect((f.inputH, f.inputW, f.inputC, f.classes) == (28, 28, 1, 10))
    }

    @Test func canonicalJSONReadsBackEqual() throws {
        for name in Fixtures.shippedSpaces {
            let s = try Fixtures.space(name)
            #expect(try SearchSpace(jsonValue: s.jsonValue) == s)
        }
    }

    @Test func errorsNameTheKey() {
        #expect(error(edited("\"classes\": 10", "\"classes\": 10, \"colour\": 1")).contains("unknown key 'colour'"))
        #expect(error(edited("\"classes\": 10,", "")) == "'classes' is missing")
        #expect(error(edited("\"classes\": 10", "\"classes\": \"ten\"")) == "'classes' must be an integer")
        #expect(error(edited("\"widths\": [8, 16]", "\"width\": [8, 16]")).hasPrefix("stages[0] 'a': unknown key 'width'"))
        #expect(error(edited("\"widths\": [8, 16]", "\"widths\": [8, 8]")) == "stages[0] 'a': 'widths' lists 8 twice")
        #expect(error(edited("\"widths\": [8, 16]", "\"widths\": []")).contains("'widths' must be a positive integer or a non-empty array"))
        #expect(error(edited("\"depth\": [1, 2]", "\"depth\": [3, 2]")) == "stages[0] 'a': 'depth' has min 3 above max 2")
        #expect(error(edited("\"depth\": [1, 2]", "\"depth\": [0, 2]")).contains("'depth' must lie within 1...16"))
        #expect(error(edited("\"conv3x3\"", "\"conv4x4\"")).contains("'blocks': block 'conv4x4': kernel must be 1, 3, 5 or 7"))
        #expect(error(edited("\"conv3x3\"", "\"conv3x5\"")).contains("only square kernels"))
        #expect(error(edited("\"conv3x3\"", "\"pool3x3\"")).contains("must start with 'conv', 'sep' or 'mb'"))
        #expect(error(edited("\"conv3x3\"", "\"conv1x1_d2\"")).contains("a 1×1 kernel cannot be dilated"))
        #expect(error(edited("\"conv3x3\"", "\"conv3x3_d9\"")).contains("dilation must be 2, 3 or 4"))
        #expect(error(edited("\"stride2\"", "\"stride3\"")).contains("'downsample': unknown value \"stride3\""))
        #expect(error(edited("\"global_avg\"", "\"max\"")).contains("head: 'pooling': unknown value \"max\""))
        #expect(error(edited("\"count\": [0, 1]", "\"count\": [0, 9]")).contains("head.dense: 'count' must lie within 0...4"))
        #expect(error(edited("\"kernel\": 3, \"stride\": 1", "\"kernel\": 3, \"stride\": 4")) == "stem: 'stride' must be 1 or 2, got 4")
        #expect(error(edited("\"input\": [32, 32, 3]", "\"input\": [32, 32]")).contains("'input' must be [H, W, C]"))
        #expect(error("{\"name\": ").hasPrefix("malformed JSON"))
    }

    @Test func tooManyDownsamplingsNameTheStage() {
        var stages: [String] = []
        for i in 1...7 {
            stages.append("{\"name\": \"s\(i)\", \"depth\": 1, \"blocks\": [\"conv3x3\"], \"widths\": 8, \"downsample\": [\"max_pool\", \"none\"]}")
        }
        let text = """
        {"name": "t", "input": [28, 28, 1], "classes": 10, "stem": {"filters": 8, "kernel": 3, "stride": 2},
         "stages": [\(stages.joined(separator: ","))], "head": {"pooling": ["global_avg"]}}
        """
        let e = error(text)
        // 28 → 14 (stem) → 7 → 4 → 2 → 1: the fifth stage would downsample a 1×1 map.
        #expect(e.hasPrefix("stages[4] 's5': can downsample a 1×1 feature map"), "\(e)")
        #expect(e.contains("the 28×28 input is 1×1 after 5 earlier downsamplings"))
    }

    @Test func flattenTooLargeIsRejected() {
        let text = """
        {"name": "t", "input": [224, 224, 3], "classes": 1000, "stem": {"filters": 64, "kernel": 3, "stride": 1},
         "stages": [{"depth": 1, "blocks": ["conv3x3"], "widths": 64, "downsample": ["none"]}], "head": {"pooling": ["flatten"]}}
        """
        #expect(error(text).hasPrefix("head: 'flatten' can feed 3211264 features"))
    }

    @Test func sizesThatCouldOverflowAreRefusedWhenTheSpaceLoads() {
        #expect(error(edited(#""input": [32, 32, 3]"#, #""input": [2147483648, 32, 3]"#))
                == "'input' height 2147483648 is larger than nas supports (at most 16777216)")
        #expect(error(edited(#""widths": [8, 16]"#, #""widths": [8, 1099511627776]"#))
                == "stages[0] 'a': 'widths' 1099511627776 is larger than nas supports (at most 16777216)")
        #expect(error(edited(#""input": [32, 32, 3]"#, #""input": [1000000, 1000000, 3]"#))
                .hasPrefix("an architecture of this space can have a 1000000×1000000×16 activation at batch 1"))
    }

    @Test func loadErrorsNameTheFile() {
        #expect(throws: SearchError.self) { try SearchSpace.load(path: "/nonexistent/space.json") }
        do { _ = try SearchSpace.load(path: "/nonexistent/space.json") } catch {
            #expect("\(error)".hasPrefix("/nonexistent/space.json: cannot read file"))
        }
    }
}
