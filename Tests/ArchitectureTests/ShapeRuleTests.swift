import Testing
import NASArchitecture

@Suite struct ShapeRuleTests {
    func net(_ input: (Int, Int, Int), batch: Int = 1, _ layers: [LayerOperation]) throws -> ResolvedNetwork {
        try Architecture(name: "t", inputH: input.0, inputW: input.1, inputC: input.2, batch: batch,
                         layers: layers.enumerated().map { Layer(name: "l\($0.offset)", $0.element) }).resolved()
    }

    @Test func samePaddingFollowsTensorFlow() throws {
        // 7 with k=3, s=2, same: out = ceil(7/2) = 4; total pad = (4-1)*2 + 3 - 7 = 2 → 1 top, 1 bottom.
        let n = try net((7, 8, 3), [.conv2d(Conv2D(filters: 4, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padding: .same))])
        let l = n.layers[0]
        #expect(l.output == .spatial(h: 4, w: 4, c: 4))
        #expect([l.padTop, l.padBottom] == [1, 1])
        // 8 wide: out 4, total pad = 3*2 + 3 - 8 = 1 → 0 left, 1 right (extra goes right).
        #expect([l.padLeft, l.padRight] == [0, 1])
    }

    @Test func dilationWidensTheKernel() throws {
        // effective kernel = (3-1)*2+1 = 5; 9 - 5 + 1 = 5
        let n = try net((9, 9, 2), [.conv2d(Conv2D(filters: 2, kernelH: 3, kernelW: 3, dilationH: 2, dilationW: 2))])
        #expect(n.layers[0].output == .spatial(h: 5, w: 5, c: 2))
    }

    @Test func depthwiseWithMultiplier() throws {
        let n = try net((10, 10, 8), [.conv2d(Conv2D(filters: nil, kernelH: 3, kernelW: 3, padding: .same, depthwise: true,
                                                      depthMultiplier: 2, useBias: false))])
        let l = n.layers[0]
        #expect(l.groups == 8 && l.filters == 16)
        let f = l.figures(batch: 1)
        // 16 filters × (8/8 input channels) × 9 taps
        #expect(f.params == 144)
        #expect(f.macs == 10 * 10 * 16 * 9)
    }

    @Test func groupedConvCounts() throws {
        let n = try net((4, 4, 8), batch: 2, [.conv2d(Conv2D(filters: 6, kernelH: 1, kernelW: 1, groups: 2))])
        let f = n.layers[0].figures(batch: 2)
        // weights = 6 × (8/2) = 24, bias 6
        #expect(f.params == 30)
        // MACs = batch 2 × 16 positions × 6 filters × 4 inputs each
        #expect(f.macs == 2 * 16 * 6 * 4)
        let w = try #require(n.layers[0].workload(batch: 2))
        #expect(w.isGrouped && !w.isDepthwise && w.macs == f.macs)
    }

    @Test func livenessPeakIsHandComputed() throws {
        // input 8×8×1 (64 floats); conv 3×3×1→4 valid: 6×6×4 = 144 floats, 40 weights;
        // flatten runs in place; dense 144→10: 1450 weights, 10 outputs.
        let n = try net((8, 8, 1), [.conv2d(Conv2D(filters: 4, kernelH: 3, kernelW: 3)), .flatten, .dense(Dense(units: 10))])
        let f = n.figures()
        let weights = 4 * (40 + 1450)
        // layer 0: 64 + 144 floats; flatten: 144 (in place); dense: 144 + 10.
        #expect(f.peakMemoryBytes == weights + 4 * (64 + 144))
        #expect(f.peakLayerIndex == 0)
        // footprints: conv 4*(64+40+144)=992, flatten 4*(144+144)=1152, dense 4*(144+1450+10)=6416
        #expect(f.twoLargestFootprintsBytes == 6416 + 1152)
        #expect(f.twiceMeanFootprintBytes == 2.0 * Double(992 + 1152 + 6416) / 3.0)
    }

    @Test func globalPoolIsAWholeInputAveragePool() throws {
        let n = try net((7, 5, 3), [.globalAvgPool2d])
        let w = try #require(n.layers[0].workload(batch: 4))
        #expect(w.kind == .avgPool2d && w.kernelH == 7 && w.kernelW == 5 && w.outH == 1 && w.outC == 3 && w.batch == 4)
    }

    @Test func fusedLayersHaveNoWorkload() throws {
        let n = try net((4, 4, 2), [.activation(.relu), .flatten])
        #expect(n.layers.allSatisfy { $0.workload(batch: 1) == nil && $0.isFusedAway })
    }
}
