extension IRBuilder {
    /// `llvm.prefetch` of the cache line at `address` (an `i8*`) for reading into the
    /// second-level cache (locality 2, data cache: `prefetcht1` on x86-64): a hint, which
    /// never faults, whatever the address.
    func prefetchForReading(_ address: IRValue) throws {
        let prefetch = try intrinsic("llvm.prefetch", overloads: [address.type])
        let arguments = [address] + [0, 2, 1].map { context.int32.constant(integer: $0) }
        _ = call(prefetch, arguments, name: "")
    }
}
