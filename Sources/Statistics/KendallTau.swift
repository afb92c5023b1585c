/// Kendall's rank correlation, written in Swift because GSL has none.
extension Correlation {
    /// Kendall's tau-b: (concordant − discordant) / sqrt((n0 − n1)(n0 − n2)), where n0 = n(n − 1)/2 and
    /// n1, n2 count the pairs tied in x and in y. The tie correction (the "b") matters here because
    /// measured latencies are often rounded and tie; it equals scipy's `kendalltau` default.
    ///
    /// Uses Knight's O(n log n) algorithm so bootstrapping it over thousands of architectures stays cheap:
    /// sort the pairs by x (then y), count ties, then merge-sort by y counting the swaps, which are exactly
    /// the discordant pairs.
    public static func kendallTauB(_ x: [Double], _ y: [Double]) throws -> Double {
        try Validate.pairs(x, y, context: "kendallTauB")
        let n = x.count

        // Order pairs by x, breaking ties by y, so pairs tied in x are already in y order and cause no swaps.
        let order = (0..<n).sorted { a, b in x[a] != x[b] ? x[a] < x[b] : y[a] < y[b] }
        let xs = order.map { x[$0] }
        var ys = order.map { y[$0] }

        let totalPairs = n * (n - 1) / 2
        var tiedX = 0      // n1: pairs with equal x
        var tiedBoth = 0   // n3: pairs with equal x and equal y
        var runX = 1, runBoth = 1
        for i in 1..<n {
            if xs[i] == xs[i - 1] {
                runX += 1
            } else {
                tiedX += runX * (runX - 1) / 2
                runX = 1
            }
            // Sorting by (x, y) makes jointly tied pairs adjacent, so they form runs too.
            if xs[i] == xs[i - 1] && ys[i] == ys[i - 1] {
                runBoth += 1
            } else {
                tiedBoth += runBoth * (runBoth - 1) / 2
                runBoth = 1
            }
        }
        tiedX += runX * (runX - 1) / 2
        tiedBoth += runBoth * (runBoth - 1) / 2

        let swaps = mergeSortCountingSwaps(&ys)

        var tiedY = 0      // n2: pairs with equal y
        var runY = 1
        for i in 1..<n {
            if ys[i] == ys[i - 1] {
                runY += 1
            } else {
                tiedY += runY * (runY - 1) / 2
                runY = 1
            }
        }
        tiedY += runY * (runY - 1) / 2

        let denominatorX = totalPairs - tiedX
        let denominatorY = totalPairs - tiedY
        guard denominatorX > 0, denominatorY > 0 else {
            throw StatisticsError(
                .degenerateInput, context: "kendallTauB",
                message: "\(denominatorX == 0 ? "x" : "y") is constant, so a correlation is undefined")
        }
        // concordant − discordant, from Knight (1966): pairs neither tied nor swapped are concordant.
        let score = totalPairs - tiedX - tiedY + tiedBoth - 2 * swaps
        // The product is formed in Double (no Int overflow for large n) and rooted once, so identical
        // rankings give exactly ±1 rather than 1 ± an ulp.
        return clampToUnit(Double(score) / (Double(denominatorX) * Double(denominatorY)).squareRoot())
    }

    /// Stable bottom-up merge sort of `values` ascending, returning how many element swaps an insertion
    /// sort would have made (the number of pairs i < j with values[i] > values[j]; equal values never count).
    static func mergeSortCountingSwaps(_ values: inout [Double]) -> Int {
        let n = values.count
        var buffer = values
        var swaps = 0
        var width = 1
        while width < n {
            var start = 0
            while start < n {
                let mid = Swift.min(start + width, n)
                let end = Swift.min(start + 2 * width, n)
                var i = start, j = mid, k = start
                while i < mid && j < end {
                    if values[j] < values[i] {
                        // values[j] jumps ahead of every element still waiting in the left run.
                        swaps += mid - i
                        buffer[k] = values[j]
                        j += 1
                    } else {
                        buffer[k] = values[i]
                        i += 1
                    }
                    k += 1
                }
                while i < mid { buffer[k] = values[i]; i += 1; k += 1 }
                while j < end { buffer[k] = values[j]; j += 1; k += 1 }
                start = end
            }
            swap(&values, &buffer)
            width *= 2
        }
        return swaps
    }
}
