import Foundation
import Synchronization

/// Maps `items` on up to `jobs` threads; the result is in item order, whatever the thread count.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @escaping @Sendable (T) throws -> R) throws -> [R] {
    let workers = BatchWorkers(jobs: min(jobs, items.count))
    defer { workers.stop() }
    return try workers.map(items) { item, _ in try transform(item) }
}

/// The calling thread and `jobs − 1` helper threads, kept for many batches, that take a batch's items one
/// at a time from an atomic counter. Nobody waits for a thread that has not taken an item: on a machine busy
/// with other work, a helper that is not scheduled in time leaves its share to the threads that run, instead
/// of holding up the batch with a fixed part of it.
final class BatchWorkers: @unchecked Sendable {
    /// Worker numbers run from 0 (the calling thread) to `jobs − 1`.
    let jobs: Int
    private let condition = NSCondition()
    /// The batch being worked on; helpers keep a reference, so one that wakes late claims from its own,
    /// finished batch and finds nothing left.
    private var current: Batch?
    private var stopping = false

    private final class Batch: Sendable {
        let count: Int
        let run: @Sendable (_ item: Int, _ worker: Int) -> Void
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        init(count: Int, run: @escaping @Sendable (Int, Int) -> Void) { self.count = count; self.run = run }

        /// Runs items until none are left to claim; true when this thread completed the batch's last item.
        func work(worker: Int) -> Bool {
            var finishedLast = false
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < count else { return finishedLast }
                run(i, worker)
                finishedLast = done.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == count
            }
        }
    }

    init(jobs: Int) {
        self.jobs = max(1, jobs)
        for w in 1..<self.jobs {
            Thread { [self] in serve(worker: w) }.start()
        }
    }

    /// Ends the helper threads once they are idle; call it when no more batches will come.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// `transform(item, worker)` for every item, in item order.
    func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T, Int) throws -> R) throws -> [R] {
        if jobs == 1 || items.count < 2 { return try items.map { try transform($0, 0) } }
        let slots = ResultSlots<R>(count: items.count)
        let batch = Batch(count: items.count) { i, worker in slots.set(i, Result { try transform(items[i], worker) }) }
        condition.lock()
        current = batch
        condition.broadcast()
        condition.unlock()
        _ = batch.work(worker: 0)
        condition.lock()
        while batch.done.load(ordering: .acquiring) < batch.count { condition.wait() }
        current = nil
        condition.unlock()
        return try slots.values.map { try $0!.get() }
    }

    private func serve(worker: Int) {
        var last: Batch?
        condition.lock()
        while true {
            while !stopping && (current == nil || current === last) { condition.wait() }
            if stopping { break }
            let batch = current!
            last = batch
            condition.unlock()
            let finishedLast = batch.work(worker: worker)
            condition.lock()
            if finishedLast { condition.broadcast() }
        }
        condition.unlock()
    }
}

/// Each slot is written by exactly one thread and read after all have finished.
private final class ResultSlots<R: Sendable>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Result<R, Error>?>
    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }
    deinit {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }
    func set(_ i: Int, _ r: Result<R, Error>) { buffer[i] = r }
    var values: [Result<R, Error>?] { Array(buffer) }
}
