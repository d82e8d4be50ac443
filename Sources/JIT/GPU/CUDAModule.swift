import Foundation
internal import CCUDA

/// Owns a module the driver compiled from PTX text; unloads it in `deinit`.
///
/// The driver compiles the PTX for the device when it is loaded (`cuModuleLoadDataEx`); a
/// rejected PTX throws `JITError.driver` carrying the driver's JIT error log.
final class CUDAModule: @unchecked Sendable {
    let context: CUDAContext
    private let module: CUmodule
    /// What the driver's PTX compiler logged as information (e.g. register counts), if anything.
    let infoLog: String

    /// Loads `ptx` (PTX assembly text) into `context`.
    init(ptx: String, in context: CUDAContext) throws {
        try context.makeCurrent()
        let logCapacity = 8192
        var infoLog = [CChar](repeating: 0, count: logCapacity)
        var errorLog = [CChar](repeating: 0, count: logCapacity)
        var module: CUmodule?
        let result = infoLog.withUnsafeMutableBufferPointer { info in
            errorLog.withUnsafeMutableBufferPointer { errors in
                var options: [Int32] = [
                    Int32(CCUDA_JIT_INFO_LOG_BUFFER), Int32(CCUDA_JIT_INFO_LOG_BUFFER_SIZE_BYTES),
                    Int32(CCUDA_JIT_ERROR_LOG_BUFFER), Int32(CCUDA_JIT_ERROR_LOG_BUFFER_SIZE_BYTES),
                ]
                // NOTE: the driver reads option values as `void *`; sizes are passed in the
                // pointer itself (an unsigned int widened to a pointer), as the API specifies.
                var values: [UnsafeMutableRawPointer?] = [
                    UnsafeMutableRawPointer(info.baseAddress), UnsafeMutableRawPointer(bitPattern: logCapacity),
                    UnsafeMutableRawPointer(errors.baseAddress), UnsafeMutableRawPointer(bitPattern: logCapacity),
                ]
                return ptx.withCString { text in
                    context.driver.functions.cuModuleLoadDataEx!(&module, text, UInt32(options.count), &options, &values)
                }
            }
        }
        let errorText = Self.text(errorLog)
        if result != 0 {
            let log = errorText.isEmpty ? "" : "; JIT log: \(errorText)"
            throw JITError.driver("cuModuleLoadDataEx failed: \(context.driver.errorText(result))\(log)")
        }
        guard let module else { throw JITError.driver("cuModuleLoadDataEx returned no module") }
        self.context = context
        self.module = module
        self.infoLog = Self.text(infoLog)
    }

    deinit {
        // NOTE: a deinit cannot throw; unloading fails only with a broken context, whose
        // teardown frees the module anyway.
        _ = context.driver.functions.cuCtxSetCurrent!(context.context)
        _ = context.driver.functions.cuModuleUnload!(module)
    }

    /// The kernel `name` (a `.visible .entry` of the PTX).
    func function(named name: String) throws -> CUDAFunction {
        try context.makeCurrent()
        var function: CUfunction?
        try context.driver.check(context.driver.functions.cuModuleGetFunction!(&function, module, name),
                                 "cuModuleGetFunction(\(name))")
        guard let function else { throw JITError.driver("cuModuleGetFunction(\(name)) returned no function") }
        return CUDAFunction(module: self, function: function, name: name)
    }

    private static func text(_ log: [CChar]) -> String {
        log.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A kernel of a loaded module; keeps the module loaded while it exists.
struct CUDAFunction: @unchecked Sendable {
    let module: CUDAModule
    let function: CUfunction
    let name: String

    /// Launches the kernel on a one-dimensional grid, in the default stream (asynchronous).
    ///
    /// - Parameter arguments: one pointer per kernel parameter, to a value of that parameter's
    ///   type (a `CUdeviceptr` for a buffer, an `Int64` for `i64`), valid for this call.
    func launch(blocks: Int, threadsPerBlock: Int, arguments: [UnsafeMutableRawPointer?]) throws {
        let context = module.context
        try context.makeCurrent()
        var parameters = arguments
        try context.driver.check(
            context.driver.functions.cuLaunchKernel!(
                function, UInt32(blocks), 1, 1, UInt32(threadsPerBlock), 1, 1, 0, nil, &parameters, nil),
            "cuLaunchKernel(\(name), \(blocks) x \(threadsPerBlock))")
    }
}
