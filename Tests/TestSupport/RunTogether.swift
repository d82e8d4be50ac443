import Dispatch
import Foundation
import Synchronization

/// Runs `body(0)`, ..., `body(count - 1)` on `count` new threads released together (a spinning
/// start barrier), so that their calls really overlap, and returns when all have finished.
public func runTogether(threads count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let arrived = Atomic<Int>(0)
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            arrived.add(1, ordering: .acquiringAndReleasing)
            while arrived.load(ordering: .acquiring) < count { sched_yield() }
            body(index)
            done.leave()
        }
        thread.start()
    }
    done.wait()
}
