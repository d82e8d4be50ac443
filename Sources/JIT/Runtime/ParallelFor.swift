import Dispatch

/// Runs `body(chunk)` for every chunk in `0..<chunks`, on all cores when `chunks > 1`.
///
/// `DispatchQueue.concurrentPerform` returns once every chunk is done. A single chunk runs on
/// the calling thread, with no dispatch overhead.
///
/// NOTE (performance): callers pass only raw pointers and integers into `body`, so the worker
/// threads do no reference counting (Swift arrays captured here would be retained per access).
func parallelFor(chunks: Int, _ body: @Sendable (Int) -> Void) {
    if chunks <= 1 {
        if chunks == 1 { body(0) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
}
