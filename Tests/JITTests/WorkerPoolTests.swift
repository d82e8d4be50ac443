import Foundation
@testable import JIT
import Synchronization
import Testing

/// `parallelFor` on `WorkerPool`: every item exactly once, whatever the caller, the nesting or
/// whether the helpers were asleep.
@Suite("Worker pool (parallelFor's helper threads)", .serialized)
struct WorkerPoolTests {
    /// How often each item ran. NOTE: an `NSLock` (a pthread mutex), which the thread sanitizer
    /// understands; `Synchronization.Mutex` locks with futex calls it does not see.
    private final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int]
        init(_ items: Int) { counts = [Int](repeating: 0, count: items) }
        func add(_ item: Int) { lock.withLock { counts[item] += 1 } }
        var values: [Int] { lock.withLock { counts } }
    }

    /// Runs `parallelFor` and returns how often each item ran.
    private static func runCounts(items: Int, workers: Int, work: @escaping @Sendable (Int) -> Void = { _ in })
        -> [Int]
    {
        let counts = Counts(items)
        parallelFor(items: items, workers: workers) { claim in
            while let item = claim() {
                work(item)
                counts.add(item)
            }
        }
        return counts.values
    }

    @Test("each item runs exactly once", arguments: [0, 1, 2, 7, 64, 1000], [1, 2, 3, 16])
    func everyItemOnce(items: Int, workers: Int) {
        #expect(Self.runCounts(items: items, workers: workers) == [Int](repeating: 1, count: items))
    }

    @Test("a parallelFor inside a job runs its items on that thread and returns")
    func nested() {
        let inner = Counts(8 * 5)
        let outer = Self.runCounts(items: 8, workers: 2) { item in
            parallelFor(items: 5, workers: 2) { claim in
                while let step = claim() { inner.add(item * 5 + step) }
            }
        }
        #expect(outer == [Int](repeating: 1, count: 8))
        #expect(inner.values == [Int](repeating: 1, count: 40))
    }

    @Test("callers on several threads at once each get all their items exactly once")
    func concurrentCallers() async {
        let results = await withTaskGroup(of: [Int].self) { group in
            for caller in 0..<6 {
                group.addTask { Self.runCounts(items: 100 + caller, workers: 4) { _ in usleep(20) } }
            }
            var all: [[Int]] = []
            for await counts in group { all.append(counts) }
            return all
        }
        #expect(results.count == 6)
        for counts in results { #expect(counts == [Int](repeating: 1, count: counts.count)) }
    }

    @Test("jobs after the helpers fell asleep still run every item")
    func afterSleeping() {
        for _ in 0..<4 {
            // Longer than the helpers poll for a next job, so they go to sleep in between.
            usleep(UInt32(WorkerPool.spinNanoseconds / 1000) * 3)
            #expect(Self.runCounts(items: 32, workers: 2) { _ in usleep(50) } == [Int](repeating: 1, count: 32))
        }
    }

    /// A pool of one helper for this suite alone (the shared one may be busy with another test's job).
    private static let onePool = WorkerPool(helpers: 1)

    /// The calls of a job, by thread (an `NSLock`, as `Counts`), and a shared item counter.
    private final class CallLog: @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [UInt: Int] = [:]
        let items = Atomic<Int>(0)
        func called(on thread: UInt) { lock.withLock { calls[thread, default: 0] += 1 } }
        var callsPerThread: [Int] { lock.withLock { calls.values.sorted() } }
    }

    @Test("a long job is shared with the helper thread, which calls it once")
    func helperJoins() {
        let log = CallLog()
        let ran = Self.onePool.run(extra: 1) {
            let thread = UInt(pthread_self())
            log.called(on: thread)
            while log.items.add(1, ordering: .relaxed).oldValue < 40 { usleep(2000) }
        }
        #expect(ran)
        // 40 items of 2 ms: a helper woken at the start has 80 ms to join; each participant calls the job once.
        #expect(log.callsPerThread == [1, 1])
    }

    @Test("a pool already running a job declines a second one, which then runs on its caller alone")
    func busyPoolDeclines() {
        let log = CallLog()
        let ran = Self.onePool.run(extra: 1) {
            let accepted = Self.onePool.run(extra: 1) {}
            log.items.add(accepted ? 1 : 0, ordering: .relaxed)
        }
        #expect(ran)
        #expect(log.items.load(ordering: .relaxed) == 0)
    }
}
