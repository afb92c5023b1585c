import Foundation
import NASArchitecture
import Testing
@testable import NASSearch
import NASSupport

/// MobileNetV2 blocks in search spaces: parsing, decoding into graphs, skips exactly where shapes allow.
@Suite struct InvertedResidualTests {
    @Test func parsesAndRefuses() throws {
        #expect(try BlockType(parsing: "mb6_3x3") == BlockType(kind: .mb, kernel: 3, expansion: 6))
        #expect(try BlockType(parsing: "mb1_7x7").description == "mb1_7x7")
        func error(_ text: String) -> String {
            do { _ = try BlockType(parsing: text); return "" } catch { return "\(error)" }
        }
        #expect(error("mb9_3x3") == "block 'mb9_3x3': expansion must lie within 1...8, got 9")
        #expect(error("mb6_1x1") == "block 'mb6_1x1': kernel must be 3, 5 or 7")
        #expect(error("mb6_3x5") == "block 'mb6_3x5': only square kernels are supported")
        #expect(error("mb6") == "block 'mb6': an inverted residual is written mbE_KxK (e.g. mb6_3x3: expansion 6, 3×3 depthwise)")
        #expect(error("mb6_3x3_d2").hasPrefix("block 'mb6_3x3_d2': an inverted residual is written mbE_KxK"))
    }

    static let space = #"""
    {"name": "mb", "input": [32, 32, 3], "classes": 10, "stem": {"filters": [16], "kernel": 3, "stride": 1},
     "stages": [{"name": "a", "depth": [1, 3], "blocks": ["mb1_3x3", "mb6_5x5"], "widths": [16, 24], "downsample": ["none", "stride2"]}],
     "head": {"pooling": ["global_avg"], "dense": {"count": [0, 0], "widths": [64]}}}
    """#

    @Test func decodesBlocksWithSkipsWhereShapesAllow() throws {
        let genome = Genome(try SearchSpace(json: Data(Self.space.utf8)))
        #expect(genome.genes.map(\.name) == ["stem.filters", "a.depth", "a.width", "a.downsample", "a.block1", "a.block2",
                                             "a.block3", "head.pooling", "head.dense_count"])
        // Depth 3, width 16, no downsampling; blocks mb1_3x3, mb6_5x5, mb1_3x3: every block keeps 32×32×16, so each has a skip.
        let same = try genome.architecture([0, 2, 0, 0, 0, 1, 0, 0, 0])
        #expect(same.layers.map(\.name) == ["stem", "s1b1_dw", "s1b1_project", "s1b1_add", "s1b2_expand", "s1b2_dw",
                                            "s1b2_project", "s1b2_add", "s1b3_dw", "s1b3_project", "s1b3_add",
                                            "head_pool", "classifier"])
        #expect(same.layers[3].inputs == ["stem", "s1b1_project"])
        #expect(same.layers[7].inputs == ["s1b1_add", "s1b2_project"])
        let net = try same.resolved()
        #expect(net.layers[4].output == .spatial(h: 32, w: 32, c: 96))
        guard case .conv2d(let project) = same.layers[2].operation, case .conv2d(let dw) = same.layers[1].operation else {
            Issue.record("not convolutions"); return
        }
        #expect(project.activation == nil && dw.activation == .relu6 && dw.depthwise)
        // Width 24 and stride 2: the first block changes the shape (no skip), the second keeps it (skip).
        let down = try genome.architecture([0, 1, 1, 1, 1, 0, 0, 0, 0])
        #expect(down.layers.map(\.name) == ["stem", "s1b1_expand", "s1b1_dw", "s1b1_project", "s1b2_dw", "s1b2_project",
                                            "s1b2_add", "head_pool", "classifier"])
        #expect(try down.resolved().layers[6].output == .spatial(h: 16, w: 16, c: 24))
    }

    /// The expansion counts against the size limits: a wide enough expansion is refused when the space is read.
    @Test func expansionCountsTowardsTheLargestActivation() throws {
        let wide = Self.space.replacingOccurrences(of: #""input": [32, 32, 3]"#, with: #""input": [4096, 4096, 3]"#)
            .replacingOccurrences(of: #""widths": [16, 24]"#, with: #""widths": [16, 4000]"#)
        #expect(try SearchSpace(json: Data(Self.space.utf8)).stages[0].blocks.count == 2)
        do {
            _ = try SearchSpace(json: Data(wide.utf8))
            Issue.record("accepted a space whose expanded activation is 4096×4096×24000")
        } catch {
            #expect("\(error)".contains("4096×4096×24000 activation"), "\(error)")
        }
    }
}
