import Foundation

/// How `nas calibrate` spends its time budget: measurement stages get fixed shares, and the share left over
/// pays for training, which is not interruptible.
public struct CalibrationPlan: Sendable, Equatable {
    /// The whole budget in seconds.
    public var budgetSeconds: Double
    public var threads: Int
    public var seed: UInt64

    /// Isolated layers (as `nas profile`), layers inside whole networks, and the whole-network calibration set.
    public static let isolatedShare = 0.35
    public static let inContextShare = 0.25
    public static let calibrationShare = 0.25
    /// The shortest budget that leaves every stage something to measure.
    public static let minimumBudgetSeconds = 60.0
    public static let defaultBudgetSeconds = 360.0
    /// The calibration set is complete at this many networks, whatever the budget.
    public static let maxCalibrationNetworks = 80

    public init(budgetSeconds: Double, threads: Int, seed: UInt64) throws {
        guard budgetSeconds.isFinite, budgetSeconds >= Self.minimumBudgetSeconds, budgetSeconds <= 86_400 else {
            throw CalibrationError("--budget must be between 1m and 24h, got \(budgetSeconds) s")
        }
        self.budgetSeconds = budgetSeconds; self.threads = threads; self.seed = seed
    }

    /// Any positive budget: for tests, which calibrate a toy zoo in seconds.
    init(testBudgetSeconds: Double, threads: Int, seed: UInt64) {
        budgetSeconds = testBudgetSeconds; self.threads = threads; self.seed = seed
    }

    public var isolatedSeconds: Double { budgetSeconds * Self.isolatedShare }
    public var inContextSeconds: Double { budgetSeconds * Self.inContextShare }
    public var calibrationSeconds: Double { budgetSeconds * Self.calibrationShare }
}

/// A calibration that cannot go on: one line saying why.
public struct CalibrationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
