import Foundation
import Testing
import NASArchitecture

/// Sizes whose counts would overflow `Int` are refused with the layer named, never trapped on.
@Suite struct SizeLimitTests {
    func error(_ json: String, batch: Int? = nil) -> String? {
        do {
            var a = try Architecture(json: Data(json.utf8))
            if let batch { a.batch = batch }
            _ = try a.resolved().figures()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func hugeInputAndBatchAreRefused() {
        #expect(error(#"{"input":[2147483648,2147483648,3],"layers":[{"type":"flatten"}]}"#)
                == "input height 2147483648 is larger than nas supports (at most 16777216)")
        #expect(error(#"{"input":[32,32,3],"layers":[{"type":"flatten"}]}"#, batch: 1 << 62)
                == "batch size 4611686018427387904 is larger than nas supports (at most 16777216)")
        // Each extent is allowed, but 10⁶ × 10⁶ × 3 elements are not.
        #expect(error(#"{"input":[1000000,1000000,3],"layers":[{"type":"flatten"}]}"#)?.contains("more than 68719476736 elements") == true)
    }

    @Test func hugeWindowsAndPaddingNameTheLayer() {
        #expect(error(#"{"input":[32,32,3],"layers":[{"type":"conv2d","name":"c","filters":8,"kernel":2147483648,"padding":"same"}]}"#)
                == "layer 0 'c': kernel height 2147483648 is larger than nas supports (at most 16777216)")
        #expect(error(#"{"input":[32,32,3],"layers":[{"type":"conv2d","name":"c","filters":8,"kernel":3,"padding":1099511627776}]}"#)
                == "layer 0 'c': top padding 1099511627776 is larger than nas supports (at most 16777216)")
        #expect(error(#"{"input":[32,32,3],"layers":[{"type":"max_pool2d","name":"p","pool_size":3,"strides":4294967296}]}"#)
                == "layer 0 'p': stride height 4294967296 is larger than nas supports (at most 16777216)")
    }

    @Test func hugeOutputsWeightsAndMultipliersAreRefused() {
        #expect(error(#"{"input":[4096,4096,3],"layers":[{"type":"conv2d","name":"w","filters":16000000,"kernel":3,"padding":"same"}]}"#)
                == "layer 0 'w': output 4096×4096×16000000 at batch 1 has more than 68719476736 elements, more than nas supports")
        #expect(error(#"{"input":[8,8,1000],"layers":[{"type":"conv2d","name":"dw","depthwise":true,"depth_multiplier":16000000,"kernel":3}]}"#)
                == "layer 0 'dw': filters (channels × depth multiplier) 16000000000 is larger than nas supports (at most 16777216)")
        #expect(error(#"{"input":[1,1,3],"layers":[{"type":"flatten"},{"type":"dense","name":"a","units":16000000},{"type":"dense","name":"b","units":16000000}]}"#)
                == "layer 2 'b': more than 68719476736 weights, more than nas supports")
    }

    @Test func theLimitsLeaveOrdinaryNetworksAlone() throws {
        let zoo = try FileManager.default.contentsOfDirectory(atPath: Repo.root.appendingPathComponent("SearchSpaces/zoo").path)
        #expect(zoo.count >= 5)
        for file in zoo where file.hasSuffix(".json") {
            let arch = try Repo.zoo(String(file.dropLast(5)))
            #expect(throws: Never.self, "\(file)") { _ = try arch.resolved().figures() }
        }
        #expect(SizeLimits.product(1 << 31, 1 << 31, atMost: .max) == 1 << 62)
        #expect(SizeLimits.product(1 << 32, 1 << 32, atMost: .max) == nil)
        #expect(SizeLimits.product(3, 4, atMost: 11) == nil)
    }
}
