internal import CCUDA

/// The CUDA driver API, loaded once per process with `dlopen("libcuda.so.1")`.
///
/// Every call's `CUresult` goes through `check(_:_:)`, which turns a failure into
/// `JITError.driver` naming the call and the driver's error name and text.
///
/// NOTE: the entry points are optional function pointers in C; `ccuda_load` succeeds only
/// when it resolved every one, so the `!` at each call site cannot fail once `init` returned.
///
/// Thread safety: `@unchecked Sendable` because the function table is written once, in `init`,
/// and only read afterwards; the driver API itself is thread-safe. `shared()` loads under
/// `swift_once` (a global `let`), so concurrent first uses load the library once.
final class CUDADriver: @unchecked Sendable {
    /// The library `shared()` opens.
    static let libraryName = "libcuda.so.1"

    let functions: CCUDAFunctions

    /// Opens `library` and resolves the entry points, then calls `cuInit(0)`.
    ///
    /// - Throws: `JITError.deviceUnavailable` when the library or a symbol is missing or
    ///   `cuInit` fails (e.g. `CUDA_ERROR_NO_DEVICE`, a driver without a GPU).
    init(library: String) throws {
        var table = CCUDAFunctions()
        var message = [CChar](repeating: 0, count: 512)
        guard ccuda_load(library, &table, &message, message.count) == 0 else {
            let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw JITError.deviceUnavailable("\(library) not found: \(reason)")
        }
        functions = table
        do {
            try check(table.cuInit!(0), "cuInit")
        } catch let JITError.driver(text) {
            throw JITError.deviceUnavailable("the CUDA driver did not initialise: \(text)")
        }
    }

    /// The process's driver, loaded on first use.
    ///
    /// - Throws: `JITError.deviceUnavailable("libcuda.so.1 not found: ...")` on a machine
    ///   without the NVIDIA driver (every later call throws the same error again).
    static func shared() throws -> CUDADriver { try loaded.get() }

    private static let loaded: Result<CUDADriver, JITError> = {
        do { return .success(try CUDADriver(library: libraryName)) } catch let error as JITError {
            return .failure(error)
        } catch {
            return .failure(.deviceUnavailable("\(error)"))
        }
    }()

    /// Throws `JITError.driver` unless `result` is `CUDA_SUCCESS` (0).
    func check(_ result: CUresult, _ call: @autoclosure () -> String) throws {
        guard result != 0 else { return }
        throw JITError.driver("\(call()) failed: \(errorText(result))")
    }

    /// `CUDA_ERROR_NAME (code): the driver's description`.
    func errorText(_ result: CUresult) -> String {
        var name: UnsafePointer<CChar>?
        var text: UnsafePointer<CChar>?
        _ = functions.cuGetErrorName!(result, &name)
        _ = functions.cuGetErrorString!(result, &text)
        let nameText = name.map { String(cString: $0) } ?? "CUDA error"
        return "\(nameText) (\(result)): \(text.map { String(cString: $0) } ?? "no description")"
    }

    /// The driver's CUDA version, e.g. 13000 for CUDA 13.0.
    func version() throws -> Int {
        var version: Int32 = 0
        try check(functions.cuDriverGetVersion!(&version), "cuDriverGetVersion")
        return Int(version)
    }

    /// The number of CUDA devices the driver sees.
    func deviceCount() throws -> Int {
        var count: Int32 = 0
        try check(functions.cuDeviceGetCount!(&count), "cuDeviceGetCount")
        return Int(count)
    }
}
