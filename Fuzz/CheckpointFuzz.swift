// libFuzzer entry for `Checkpoint(json:)` (built and run by scripts/fuzz).
import Micrograd

/// Feeds the bytes to the checkpoint reader; a thrown `MicrogradError` is a good outcome.
/// A checkpoint that loads must also build its model, and write and read back unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let checkpoint = try? Checkpoint(json: bytes, path: "fuzz") else { return 0 }
    guard let model = try? checkpoint.makeModel() else {
        preconditionFailure("a loaded checkpoint could not build its model")
    }
    precondition(model.parameters.count == checkpoint.parameters.count)
    guard let text = try? checkpoint.jsonText(), let again = try? Checkpoint(json: Array(text.utf8)) else {
        preconditionFailure("a loaded checkpoint could not be written and read back")
    }
    precondition(again.parameters.map(\.bitPattern) == checkpoint.parameters.map(\.bitPattern))
    precondition(again.step == checkpoint.step && again.state.keys.sorted() == checkpoint.state.keys.sorted())
    return 0
}
