import Foundation
import Testing
import NASArchitecture

@Suite struct JSONTests {
    @Test func parserHandlesEscapesAndNumbers() throws {
        let v = try JSONValue.parse(#"{"a":[1,-2.5e2,true,null],"s":"x\"\u00e9\ud83d\ude00"}"#)
        #expect(v["a"] == [1, -250.0, true, nil])
        #expect(v["s"]?.stringValue == "x\"é😀")
    }

    @Test func parserRejectsDuplicatesAndTrailingText() {
        #expect(throws: JSONValueError.malformed("duplicate key 'a' at line 1, column 8")) { try JSONValue.parse(#"{"a":1,"a":2}"#) }
        #expect(throws: JSONValueError.self) { try JSONValue.parse("[1] 2") }
        #expect(throws: JSONValueError.self) { try JSONValue.parse("[01]") }
        #expect(throws: JSONValueError.self) { try JSONValue.parse("") }
    }

    /// A number beyond Double's range would parse as infinity and be written back as null (hostile corpus, arch.exp-overflow).
    @Test func parserRejectsNumbersOutOfRange() throws {
        #expect(throws: JSONValueError.malformed("number out of range at line 1, column 7")) { try JSONValue.parse(#"{"a": 1e400}"#) }
        #expect(throws: JSONValueError.self) { try JSONValue.parse("-1e309") }
        #expect(throws: JSONValueError.self) { try JSONValue.parse(String(repeating: "9", count: 400)) }
        #expect(try JSONValue.parse("1e-400") == .number(0))
        #expect(try JSONValue.parse("1.7976931348623157e308") == .number(.greatestFiniteMagnitude))
    }

    @Test func everyLayerKindRoundTrips() throws {
        let a = Architecture(name: "all", description: "every option", inputH: 32, inputW: 30, inputC: 4, batch: 3, layers: [
            Layer(name: "c", .conv2d(Conv2D(filters: 8, kernelH: 3, kernelW: 5, strideH: 2, strideW: 1,
                                            padding: .explicit(top: 1, bottom: 2, left: 0, right: 3), dilationH: 2,
                                            dilationW: 1, groups: 2, useBias: false, batchNorm: true, activation: .relu6))),
            Layer(name: "dw", .conv2d(Conv2D(filters: nil, kernelH: 3, kernelW: 3, padding: .same, depthwise: true,
                                             depthMultiplier: 2, activation: .sigmoid))),
            Layer(name: "mp", .maxPool2d(Pool2D(poolH: 2, poolW: 3, strideH: 1, strideW: 2, padding: .same))),
            Layer(name: "ap", .avgPool2d(Pool2D(poolH: 2, poolW: 2))),
            Layer(name: "t", .activation(.tanh)),
            Layer(name: "g", .globalAvgPool2d),
            Layer(name: "fc", .dense(Dense(units: 7, useBias: false, activation: .relu))),
            Layer(name: "sm", .activation(.softmax)),
        ])
        _ = try a.resolved()
        let back = try Architecture(json: Data(a.jsonString().utf8))
        #expect(back == a)
        let flatten = Architecture(name: "f", inputH: 2, inputW: 2, inputC: 1, layers: [Layer(name: "x", .flatten)])
        #expect(try Architecture(json: Data(flatten.jsonString(pretty: false).utf8)) == flatten)
    }

    @Test func workloadCodableUsesSnakeCase() throws {
        let w = LayerWorkload(kind: .conv2d, batch: 1, inH: 8, inW: 8, inC: 3, outH: 6, outW: 6, outC: 4,
                              kernelH: 3, kernelW: 3, activation: .relu)
        let data = try JSONEncoder().encode(w)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"in_h\":8") && text.contains("\"kind\":\"conv2d\""))
        #expect(try JSONDecoder().decode(LayerWorkload.self, from: data) == w)
    }
}
