internal import CLLVM

/// The LLVM the JIT was built against: the version its C headers declare (`cllvm.pc`'s
/// `-I` path decides which), e.g. `19.1.7`. LLVM 14 through 19 are supported.
///
/// NOTE: read from `llvm/Config/llvm-config.h` (which `llvm-c/Target.h` includes), so it names
/// the headers compiled in. The library linked comes from the same `cllvm.pc`; `scripts/test`
/// checks it with `ldd`.
public enum LLVMVersion {
    /// The major version, e.g. 19.
    public static let major = Int(LLVM_VERSION_MAJOR)
    /// The full version, e.g. `19.1.7`.
    public static let string = LLVM_VERSION_STRING
}
