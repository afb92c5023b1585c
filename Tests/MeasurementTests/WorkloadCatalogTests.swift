import Foundation
import Testing
import NASArchitecture
@testable import NASMeasurement

/// Pins the representative catalog of a fixed zoo and seed, so that a refactor of how it is drawn cannot change
/// which workloads a profile measures (datasets from different versions would otherwise not line up).
struct WorkloadCatalogTests {
    /// FNV-1a over every entry's category, label and workload (every field, as JSON), in catalog order.
    static func digest(_ catalog: [CatalogEntry]) throws -> UInt64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for e in catalog {
            let workload = String(decoding: try encoder.encode(e.workload), as: UTF8.self)
            for byte in "\(e.category)|\(e.label)|\(workload)\n".utf8 {
                h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        return h
    }

    @Test func theCatalogForAGivenZooAndSeedIsPinned() throws {
        let zoo = try WorkloadCatalog.loadZoo(directory: try ProfilerTests().tinyZoo().path)
        let catalog = WorkloadCatalog.representative(zoo: zoo, seed: 7, randomDense: 5)
        #expect(catalog.count == 20)
        #expect(catalog.prefix(10).map(\.label) == [
            "tiny:c1", "tiny:c1 → depthwise 8", "tiny:c1 → dilation 2", "tiny:p1", "tiny:d1", "tiny:c1 → groups 2",
            "pool 2×2/2 same over 8×8×8", "random", "tiny:c2", "tiny:c1 → depthwise 32",
        ])
        #expect(catalog[7].workload == LayerWorkload.dense(batch: 1, inputs: 20288, units: 14))
        #expect(catalog[9].workload.description == "conv2d b1 8×8×32→8×8×32 k3×3 s1 dw")
        #expect(try Self.digest(catalog) == 0x39c8_93db_f6de_f317)
        let other = WorkloadCatalog.representative(zoo: zoo, seed: 8, randomDense: 5)
        #expect(other.count == 23)
        #expect(try Self.digest(other) == 0x54c4_74ff_a162_8a61)
    }
}
