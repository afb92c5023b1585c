import Foundation
import Testing
import NASArchitecture

/// Every kind of bad input gets one line that names the layer.
@Suite struct ShapeErrorTests {
    func error(_ json: String) -> String? {
        do {
            _ = try Architecture(json: Data(json.utf8)).resolved()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func kernelLargerThanInput() {
        let e = error(#"{"input":[4,4,3],"layers":[{"type":"conv2d","name":"big","filters":8,"kernel":5}]}"#)
        #expect(e == "layer 0 'big': kernel height 5 is larger than the input height 4 (padding valid)")
    }

    @Test func dilatedKernelLargerThanPaddedInput() {
        // effective kernel (3-1)*4+1 = 9 > 6 + 2*1
        let e = error(#"{"input":[6,6,3],"layers":[{"type":"conv2d","name":"d","filters":8,"kernel":3,"dilation":4,"padding":1}]}"#)
        #expect(e == "layer 0 'd': kernel height 9 is larger than the padded input height 8")
    }

    @Test func poolWindowLargerThanInput() {
        let e = error(#"{"input":[8,8,3],"layers":[{"type":"conv2d","name":"c","filters":4,"kernel":3},{"type":"max_pool2d","name":"p","pool_size":7}]}"#)
        #expect(e == "layer 1 'p': pool window height 7 is larger than the input height 6 (padding valid)")
    }

    @Test func channelsNotDivisibleByGroups() {
        let e = error(#"{"input":[8,8,6],"layers":[{"type":"conv2d","name":"g","filters":8,"kernel":3,"groups":4}]}"#)
        #expect(e == "layer 0 'g': input channels 6 are not divisible by groups 4")
    }

    @Test func denseOn4DInput() {
        let e = error(#"{"input":[8,8,3],"layers":[{"type":"dense","name":"fc","units":10}]}"#)
        #expect(e?.hasPrefix("layer 0 'fc': dense needs a flat input, but gets 8×8×3") == true)
    }

    @Test func zeroOrNegativeSizes() {
        #expect(error(#"{"input":[8,8,3],"layers":[{"type":"conv2d","name":"z","filters":0,"kernel":3}]}"#)
            == "layer 0 'z': filters must be positive, got 0")
        #expect(error(#"{"input":[8,8,3],"layers":[{"type":"conv2d","name":"s","filters":4,"kernel":3,"strides":-1}]}"#)
            == "layer 0 's': stride height must be positive, got -1")
        #expect(error(#"{"input":[8,8,3],"layers":[{"type":"flatten"},{"type":"dense","name":"u","units":-5}]}"#)
            == "layer 1 'u': units must be positive, got -5")
        #expect(error(#"{"input":[0,8,3],"layers":[]}"#) == "input sizes must be positive, got [0, 8, 3]")
        #expect(error(#"{"input":[8,8,3],"batch":0,"layers":[]}"#) == "batch must be positive, got 0")
    }

    @Test func unknownLayerType() {
        let e = error(#"{"input":[8,8,3],"layers":[{"type":"conv3d","name":"x"}]}"#)
        #expect(e?.hasPrefix("layer 0 'x': unknown layer type 'conv3d'") == true)
    }

    @Test func unknownKeys() {
        let e = error(#"{"input":[8,8,3],"layers":[{"type":"conv2d","name":"c","filter":8,"kernel":3}]}"#)
        #expect(e?.hasPrefix("layer 0 'c': unknown key 'filter' in conv2d") == true)
        let top = error(#"{"input":[8,8,3],"layer":[]}"#)
        #expect(top?.hasPrefix("unknown key 'layer' in architecture") == true)
    }

    @Test func malformedJSONSaysWhere() {
        let e = error("{\"input\":[8,8,3],\n\"layers\":[}")
        #expect(e == "malformed JSON: unexpected character '}' at line 2, column 11")
    }

    @Test func wrongValueTypes() {
        #expect(error(#"{"input":[8,8,3],"layers":[{"type":"conv2d","name":"c","filters":"8","kernel":3}]}"#)
            == "layer 0 'c': 'filters' must be an integer")
        #expect(error(#"{"input":[8,8,3],"layers":[{"type":"dense","name":"d","units":2.5}]}"#)
            == "layer 0 'd': 'units' must be an integer")
    }

    @Test func depthwiseFilterMismatch() {
        let e = error(#"{"input":[8,8,16],"layers":[{"type":"conv2d","name":"dw","depthwise":true,"filters":20,"kernel":3}]}"#)
        #expect(e == "layer 0 'dw': depthwise conv2d on 16 channels with depth multiplier 1 has 16 filters, not 20")
    }
}
