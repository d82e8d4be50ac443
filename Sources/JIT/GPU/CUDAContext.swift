internal import CCUDA

/// A CUDA device and its primary context, retained for this object's life.
///
/// The primary context is the one the CUDA runtime (and so PyTorch or JAX in the same process)
/// uses for the device, so buffers and modules made here live beside theirs. It is retained
/// in `init` and released in `deinit`; buffers and modules hold their context strongly, so it
/// outlives them.
///
/// NOTE (threads): a context is current per thread. Every operation calls `makeCurrent()`
/// first, so any thread may use any object.
final class CUDAContext: @unchecked Sendable {
    let driver: CUDADriver
    let device: CUdevice
    let ordinal: Int
    let context: CUcontext
    /// The device's name, e.g. `NVIDIA H200`.
    let name: String
    /// The compute capability, e.g. (9, 0) for Hopper.
    let computeCapability: (major: Int, minor: Int)

    /// Retains the primary context of the device `ordinal`.
    ///
    /// - Throws: `JITError.deviceUnavailable` without a driver, without devices, or for an
    ///   ordinal out of range; `JITError.driver` if a driver call fails.
    init(ordinal: Int, driver: CUDADriver? = nil) throws {
        let driver = try driver ?? CUDADriver.shared()
        let count = try driver.deviceCount()
        guard count > 0 else { throw JITError.deviceUnavailable("the CUDA driver sees no device") }
        guard ordinal >= 0 && ordinal < count else {
            throw JITError.deviceUnavailable("no CUDA device \(ordinal): the driver sees \(count) (0..<\(count))")
        }
        let f = driver.functions
        var device: CUdevice = 0
        try driver.check(f.cuDeviceGet!(&device, Int32(ordinal)), "cuDeviceGet(\(ordinal))")
        var nameBytes = [CChar](repeating: 0, count: 256)
        try driver.check(f.cuDeviceGetName!(&nameBytes, Int32(nameBytes.count), device), "cuDeviceGetName")
        name = nameBytes.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var major: Int32 = 0, minor: Int32 = 0
        try driver.check(
            f.cuDeviceGetAttribute!(&major, Int32(CCUDA_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR), device),
            "cuDeviceGetAttribute(compute capability major)")
        try driver.check(
            f.cuDeviceGetAttribute!(&minor, Int32(CCUDA_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR), device),
            "cuDeviceGetAttribute(compute capability minor)")
        computeCapability = (Int(major), Int(minor))
        var context: CUcontext?
        try driver.check(f.cuDevicePrimaryCtxRetain!(&context, device), "cuDevicePrimaryCtxRetain")
        guard let context else {
            _ = f.cuDevicePrimaryCtxRelease!(device)
            throw JITError.driver("cuDevicePrimaryCtxRetain returned no context")
        }
        self.driver = driver
        self.device = device
        self.ordinal = ordinal
        self.context = context
    }

    deinit {
        // NOTE: a deinit cannot throw; a failed release leaves the primary context to the
        // driver's own teardown at process exit.
        _ = driver.functions.cuDevicePrimaryCtxRelease!(device)
    }

    /// Makes this context current on the calling thread.
    func makeCurrent() throws {
        try driver.check(driver.functions.cuCtxSetCurrent!(context), "cuCtxSetCurrent")
    }

    /// Waits until all work launched in this context has finished; reports a kernel's fault.
    func synchronize() throws {
        try makeCurrent()
        try driver.check(driver.functions.cuCtxSynchronize!(), "cuCtxSynchronize")
    }

    /// `NVIDIA H200 (sm_90)`.
    var summary: String { "\(name) (sm_\(computeCapability.major)\(computeCapability.minor))" }
}
