import Synchronization

/// Runs `items` work items on up to `workers` threads, handing them out one at a time.
///
/// Each worker calls `worker` once with a `claim` function and keeps calling `claim()` for the
/// next unclaimed item until it returns nil, so a worker can set up per-thread state (scratch
/// memory) once. Items go to whichever worker is free: when one core is slowed (another
/// process, or a VM whose second core comes and goes) the other takes more of the items,
/// where a fixed split would wait for the slow half. The calling thread is one of the workers,
/// the others are `WorkerPool`'s helpers (when it is busy with another job, the calling thread
/// runs every item); a single worker runs on the calling thread alone. Returns once every item
/// is done.
///
/// NOTE (performance): callers pass only raw pointers and integers into `worker`, so the
/// worker threads do no reference counting (Swift arrays captured here would be retained per
/// access). A claim is one relaxed atomic add.
func parallelFor(items: Int, workers: Int, _ worker: @Sendable (_ claim: () -> Int?) -> Void) {
    guard items > 0 else { return }
    let next = Atomic<Int>(0)
    @Sendable func runWorker() {
        worker {
            let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
            return item < items ? item : nil
        }
    }
    let workers = Swift.min(Swift.max(1, workers), items)
    if workers == 1 || !WorkerPool.shared.run(extra: workers - 1, runWorker) {
        runWorker()
    }
}
