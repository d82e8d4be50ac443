internal import CLLVM

/// Consumes an `LLVMErrorRef`: does nothing for success, otherwise copies LLVM's message,
/// disposes both the error and the message, and throws `JITError.llvm`.
///
/// NOTE: this is the only place an `LLVMErrorRef` is read. `LLVMGetErrorMessage` consumes the
/// error itself, so every error passed here is released exactly once whether or not it throws.
func check(_ error: LLVMErrorRef?, _ what: @autoclosure () -> String = "") throws {
    guard let error else { return }
    let message = takeErrorMessage(error)
    let context = what()
    throw JITError.llvm(context.isEmpty ? message : "\(context): \(message)")
}

/// Consumes an error in a place that cannot throw (a `deinit`) and returns its message.
@discardableResult
func consumeError(_ error: LLVMErrorRef?) -> String? {
    guard let error else { return nil }
    return takeErrorMessage(error)
}

private func takeErrorMessage(_ error: LLVMErrorRef) -> String {
    guard let raw = LLVMGetErrorMessage(error) else { return "unknown LLVM error" }
    defer { LLVMDisposeErrorMessage(raw) }
    return String(cString: raw)
}

/// Copies and disposes a message string that LLVM allocated (`LLVMDisposeMessage`).
func takeMessage(_ raw: UnsafeMutablePointer<CChar>?) -> String {
    guard let raw else { return "" }
    defer { LLVMDisposeMessage(raw) }
    return String(cString: raw)
}
