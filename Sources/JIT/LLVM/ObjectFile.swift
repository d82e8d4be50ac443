internal import CLLVM

/// Owns an object file in memory (an `LLVMMemoryBufferRef`) until LLJIT takes it.
///
/// A class, so objects compiled on worker threads can be collected in an array; `take()` ends
/// its ownership exactly once (the hand-over to `LLJIT.add(_:)`), and `deinit` disposes a
/// buffer that was never handed over (a compilation that failed half way).
///
/// Thread safety: `@unchecked Sendable` because it is created on one worker thread and handed,
/// under the piece compiler's lock, to the thread that links; it is never used by two threads
/// at once.
final class ObjectFile: @unchecked Sendable {
    private var ref: LLVMMemoryBufferRef?

    fileprivate init(ref: LLVMMemoryBufferRef) { self.ref = ref }

    deinit {
        if let ref { LLVMDisposeMemoryBuffer(ref) }
    }

    /// The object's size in bytes (0 once handed over).
    var size: Int { ref.map { Int(LLVMGetBufferSize($0)) } ?? 0 }

    /// A copy of the object's bytes (empty once handed over), to write to a file.
    var bytes: [UInt8] {
        guard let ref, let start = LLVMGetBufferStart(ref) else { return [] }
        let count = Int(LLVMGetBufferSize(ref))
        return start.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// Ends this object's ownership; the caller passes the buffer to a consuming LLVM call.
    func take() throws -> LLVMMemoryBufferRef {
        guard let buffer = ref else { throw JITError.llvm("internal error: an object file was handed over twice") }
        ref = nil
        return buffer
    }
}

extension TargetMachine {
    /// Generates native code for `module` and returns it as an object file in memory.
    ///
    /// NOTE (compile time): this is the code generator alone (instruction selection, register
    /// allocation, encoding), with no LLJIT involved, so several threads can each run it with
    /// their own machine and context; LLJIT then only links the objects.
    func emitObject(_ module: borrowing Module) throws -> ObjectFile {
        var message: UnsafeMutablePointer<CChar>?
        var buffer: LLVMMemoryBufferRef?
        let failed = LLVMTargetMachineEmitToMemoryBuffer(ref, module.ref, LLVMObjectFile, &message, &buffer)
        let text = takeMessage(message)
        if failed != 0 {
            if let buffer { LLVMDisposeMemoryBuffer(buffer) }
            throw JITError.llvm("emitting an object file: \(text)")
        }
        guard let buffer else { throw JITError.llvm("emitting an object file returned no buffer") }
        return ObjectFile(ref: buffer)
    }
}
