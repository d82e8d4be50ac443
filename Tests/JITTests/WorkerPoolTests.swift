import Foundation
@testable import JIT
import Synchronization
import Testing

/// `parallelFor` on `WorkerPool`: every item exactly once, whatever the caller, the nesting or
/// whether the helpers were asleep.
@Suite("Worker pool (parallelFor's helper threads)", .serialized)
struct WorkerPoolTests {
    /// Runs `parallelFor` and returns how often each item ran.
    private static func runCounts(items: Int, workers: Int, work: @escaping @Sendable (Int) -> Void = { _ in })
        -> [Int]
    {
        let counts = Mutex([Int](repeating: 0, count: items))
        parallelFor(items: items, workers: workers) { claim in
            while let item = claim() {
                work(item)
                counts.withLock { $0[item] += 1 }
            }
        }
        return counts.withLock { $0 }
    }

    @Test("each item runs exactly once", arguments: [0, 1, 2, 7, 64, 1000], [1, 2, 3, 16])
    func everyItemOnce(items: Int, workers: Int) {
        #expect(Self.runCounts(items: items, workers: workers) == [Int](repeating: 1, count: items))
    }

    @Test("a parallelFor inside a job runs its items on that thread and returns")
    func nested() {
        let inner = Mutex([Int](repeating: 0, count: 8 * 5))
        let outer = Self.runCounts(items: 8, workers: 2) { item in
            parallelFor(items: 5, workers: 2) { claim in
                while let step = claim() { inner.withLock { $0[item * 5 + step] += 1 } }
            }
        }
        #expect(outer == [Int](repeating: 1, count: 8))
        #expect(inner.withLock { $0 } == [Int](repeating: 1, count: 40))
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

    @Test("a long job is shared with the helper thread, which calls it once")
    func helperJoins() {
        let threads = Mutex([UInt: Int]())
        let next = Atomic<Int>(0)
        let ran = Self.onePool.run(extra: 1) {
            let thread = UInt(pthread_self())
            threads.withLock { $0[thread, default: 0] += 1 }
            while next.add(1, ordering: .relaxed).oldValue < 40 { usleep(2000) }
        }
        #expect(ran)
        // 40 items of 2 ms: a helper woken at the start has 80 ms to join; each participant calls the job once.
        #expect(threads.withLock { $0.values.sorted() } == [1, 1])
    }

    @Test("a pool already running a job declines a second one, which then runs on its caller alone")
    func busyPoolDeclines() {
        let nestedRan = Mutex<Bool?>(nil)
        let ran = Self.onePool.run(extra: 1) {
            let accepted = Self.onePool.run(extra: 1) {}
            nestedRan.withLock { if $0 == nil || accepted { $0 = accepted } }
        }
        #expect(ran)
        #expect(nestedRan.withLock { $0 } == false)
    }
}
