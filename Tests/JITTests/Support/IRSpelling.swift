import JIT

/// How the LLVM the tests run against prints what changed between LLVM 14 and 19, so IR-text
/// tests check the exact text on either version.
///
/// NOTE: each spelling is tied to the version (from the headers compiled in), not guessed from
/// the text under test: on LLVM 14 a test expects `double*` and fails on `ptr`, and the reverse
/// from LLVM 15 on, where pointers are opaque.
enum IRSpelling {
    /// The type of a pointer to `pointee` in address space 0: `double*` (LLVM 14) or `ptr`.
    static func pointer(to pointee: String) -> String {
        LLVMVersion.major >= 15 ? "ptr" : "\(pointee)*"
    }
}
