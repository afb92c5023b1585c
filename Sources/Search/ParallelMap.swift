import Dispatch

/// Maps `items` on up to `jobs` threads; the result is in item order, whatever the thread count.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) throws -> R) throws -> [R] {
    let workers = max(1, min(jobs, items.count))
    if workers == 1 { return try items.map(transform) }
    let slots = ResultSlots<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        for i in stride(from: w, to: items.count, by: workers) {
            slots.set(i, Result { try transform(items[i]) })
        }
    }
    return try slots.values.map { try $0!.get() }
}

/// Each slot is written by exactly one worker and read after all have finished.
private final class ResultSlots<R: Sendable>: @unchecked Sendable {
    var values: [Result<R, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<R, Error>) {
        values.withUnsafeMutableBufferPointer { $0[i] = r }
    }
}
