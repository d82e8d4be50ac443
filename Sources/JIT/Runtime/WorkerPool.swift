import Foundation
import Synchronization

/// The process's helper threads for `parallelFor`: one fewer than the active cores, started on
/// first use, each running one job at a time beside the calling thread.
///
/// A job is a `@Sendable` function that every participant (the caller and the helpers that join)
/// calls once. The caller publishes it with a number of *seats*; a helper joins by taking a
/// seat. Once the caller's own call returns (the items are all claimed), it withdraws the seats
/// no helper has taken yet and waits only for the helpers that joined, so a helper that is slow
/// to wake never delays a job that is already done.
///
/// After a job a helper keeps polling for the next one for ``spinNanoseconds`` before it sleeps
/// on a condition variable: consecutive jobs (the phases of a training step, the batches of a
/// loop) find it awake. Waking a sleeping thread costs several microseconds or more (measured
/// on a 2-vCPU KVM guest: a 4096-row MLP(2,[16,16,1]) batch took 56 us on two threads woken by
/// `DispatchQueue.concurrentPerform`, 39 us on one).
///
/// One job runs at a time: a `parallelFor` that finds the pool busy (a call from another thread,
/// or one nested in a job) runs its items on its own thread.
///
/// NOTE (memory order): the caller stores the job, then the seats (releasing); a helper takes a
/// seat with an acquiring compare-exchange, so it sees that job. A helper adds to `finished`
/// (releasing) after its call and after dropping its copy of the job; the caller reads it
/// (acquiring) before it clears the job and returns. A helper that read the seats of one job and
/// takes a seat of the next one runs the next one, which is what the seat was for.
final class WorkerPool: @unchecked Sendable {
    typealias Job = @Sendable () -> Void

    /// The pool of the process: `activeProcessorCount - 1` helpers (none on one core).
    static let shared = WorkerPool(helpers: ProcessInfo.processInfo.activeProcessorCount - 1)

    /// How long a helper polls for the next job before it sleeps.
    static let spinNanoseconds: UInt64 = 200_000

    /// The number of helper threads.
    let helpers: Int

    private let busy = Atomic<Bool>(false)
    private let seats = Atomic<Int>(0)
    /// Bumped for every job: what a helper polls (a new value means a job with free seats), on a
    /// cache line of its own.
    private let generation = CacheLineAtomic()
    /// Counted by the helpers, polled by the caller: a cache line of its own.
    private let finished = CacheLineAtomic()
    /// The current job; written by the caller before it publishes the seats, read by helpers after
    /// taking one (see the type's note).
    private var job: Job?
    private let sleep = NSCondition()
    /// Helpers asleep on `sleep` (guarded by it).
    private var sleeping = 0
    /// Guards `started`. NOTE: an `NSLock`, which the thread sanitizer understands (see
    /// `PieceCompiler`'s results).
    private let startLock = NSLock()
    private var started = false

    /// A pool of `helpers` threads, started on its first job. (Its threads live as long as the
    /// process: tests make one of their own; everything else uses ``shared``.)
    init(helpers: Int) {
        self.helpers = Swift.max(0, helpers)
    }

    /// Calls `body` on the calling thread and on up to `extra` helpers, and returns when every
    /// call has returned. Returns false, calling nothing, when the pool is busy with another job
    /// or has no helpers; the caller then does the work alone.
    func run(extra: Int, _ body: Job) -> Bool {
        let extra = Swift.min(extra, helpers)
        guard extra > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        startHelpersOnce()
        withoutActuallyEscaping(body) { body in
            job = body
            finished.value.store(0, ordering: .relaxed)
            seats.store(extra, ordering: .releasing)
            generation.value.add(1, ordering: .releasing)
            sleep.lock()
            if sleeping > 0 { sleep.broadcast() }
            sleep.unlock()
            body()
            let untaken = seats.exchange(0, ordering: .acquiringAndReleasing)
            let joined = extra - untaken
            while finished.value.load(ordering: .acquiring) < joined {}
            job = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    private func startHelpersOnce() {
        startLock.withLock {
            guard !started else { return }
            started = true
            for index in 0..<helpers {
                let thread = Thread { [unowned self] in helperLoop() }
                thread.name = "mgrad-worker-\(index)"
                // LLVM's code generation (the piece compiler's jobs) recurses deeply on big functions.
                thread.stackSize = 8 << 20
                thread.start()
            }
        }
    }

    /// A helper: takes seats of jobs as they come, polls for `spinNanoseconds` after each, then
    /// sleeps until the next job is published.
    private func helperLoop() {
        // NOTE: not the current value: helpers start inside the first job's `run`, whose generation
        // may already be published.
        var seen = 0
        while true {
            var polledSince = DispatchTime.now().uptimeNanoseconds
            var polls = 0
            while generation.value.load(ordering: .acquiring) == seen {
                polls += 1
                if polls & 255 == 0 {
                    let now = DispatchTime.now().uptimeNanoseconds
                    if now - polledSince >= Self.spinNanoseconds {
                        waitForJob(after: seen)
                        polledSince = DispatchTime.now().uptimeNanoseconds
                    }
                }
            }
            seen = generation.value.load(ordering: .acquiring)
            if takeSeat() {
                runJob()
                finished.value.add(1, ordering: .releasing)
            }
        }
    }

    /// Sleeps until `generation` moves past `seen`.
    private func waitForJob(after seen: Int) {
        sleep.lock()
        sleeping += 1
        while generation.value.load(ordering: .acquiring) == seen { sleep.wait() }
        sleeping -= 1
        sleep.unlock()
    }

    private func takeSeat() -> Bool {
        var free = seats.load(ordering: .relaxed)
        while free > 0 {
            let (exchanged, current) = seats.compareExchange(
                expected: free, desired: free - 1, successOrdering: .acquiring, failureOrdering: .relaxed)
            if exchanged { return true }
            free = current
        }
        return false
    }

    /// Calls the current job; its copy is released when this returns, before `finished` counts it.
    private func runJob() {
        job?()
    }
}

/// An atomic integer alone on its cache line (64 bytes of padding either side), so that a thread
/// polling it does not slow writes to its neighbours.
final class CacheLineAtomic: Sendable {
    private let before: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    let value = Atomic<Int>(0)
    private let after: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
}
