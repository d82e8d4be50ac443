internal import CCUDA

/// Owns `byteCount` bytes of device memory in a context; frees them in `deinit`.
///
/// NOTE (lifetime): holds its `CUDAContext` strongly, so the context is released only after
/// every buffer allocated in it has been freed.
final class DeviceBuffer: @unchecked Sendable {
    let context: CUDAContext
    /// The device address, as kernels receive it.
    let address: CUdeviceptr
    let byteCount: Int

    /// Allocates `byteCount` bytes (at least 1, since the driver rejects empty allocations).
    init(byteCount: Int, in context: CUDAContext) throws {
        try context.makeCurrent()
        var address: CUdeviceptr = 0
        let bytes = Swift.max(byteCount, 1)
        try context.driver.check(context.driver.functions.cuMemAlloc!(&address, bytes), "cuMemAlloc_v2(\(bytes) bytes)")
        self.context = context
        self.address = address
        self.byteCount = byteCount
    }

    deinit {
        // NOTE: a deinit cannot throw; freeing fails only when the context is already broken
        // (a faulted kernel), and then the driver reclaims the memory with the context.
        _ = context.driver.functions.cuCtxSetCurrent!(context.context)
        _ = context.driver.functions.cuMemFree!(address)
    }

    /// Copies `bytes` to the start of the buffer (synchronous).
    func upload(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(bytes.count <= byteCount, "upload of \(bytes.count) bytes into a buffer of \(byteCount)")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        try context.makeCurrent()
        try context.driver.check(context.driver.functions.cuMemcpyHtoD!(address, base, bytes.count), "cuMemcpyHtoD_v2")
    }

    /// Copies the first `bytes.count` bytes of the buffer to `bytes` (synchronous: waits for
    /// the kernels launched before it).
    func download(into bytes: UnsafeMutableRawBufferPointer) throws {
        precondition(bytes.count <= byteCount, "download of \(bytes.count) bytes from a buffer of \(byteCount)")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        try context.makeCurrent()
        try context.driver.check(context.driver.functions.cuMemcpyDtoH!(base, address, bytes.count), "cuMemcpyDtoH_v2")
    }
}
