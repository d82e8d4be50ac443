internal import CLLVM

/// Owns an ORC resource tracker: the code and data of the modules added through it, which
/// `remove()` frees while the JIT itself lives on.
final class ResourceTracker {
    let ref: LLVMOrcResourceTrackerRef
    /// The JIT the tracker belongs to; retained so it outlives the tracker.
    let jit: LLJIT

    init(ref: LLVMOrcResourceTrackerRef, jit: LLJIT) {
        self.ref = ref
        self.jit = jit
    }

    deinit {
        // NOTE: removing frees the tracked code; releasing drops our reference to the tracker.
        consumeError(LLVMOrcResourceTrackerRemove(ref))
        LLVMOrcReleaseResourceTracker(ref)
    }
}
