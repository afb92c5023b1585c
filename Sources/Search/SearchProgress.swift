/// Where a search stands, reported after every batch.
public struct SearchProgress: Sendable {
    public var evaluated: Int
    public var total: Int
    /// Of `evaluated`, how many came from the log of an interrupted run.
    public var replayed: Int
    public var feasible: Int
    public var bestFeasibleQuality: Double?
    public var frontSize: Int
}
