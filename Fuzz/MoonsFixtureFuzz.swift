// libFuzzer entry for `MoonsFixture(json:)` (built and run by scripts/fuzz).
import Micrograd

/// Feeds the bytes to the moons fixture loader; a thrown `MicrogradError` is a good outcome.
/// A fixture that loads must also build its model and data set without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMoonsFixture(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let fixture = try? MoonsFixture(json: bytes, path: "fuzz") else { return 0 }
    guard let model = try? fixture.makeModel() else {
        preconditionFailure("a loaded fixture could not build its model")
    }
    precondition(model.parameters.count == fixture.parameterCount)
    precondition(fixture.dataset.count == fixture.inputs.count)
    _ = try? Evaluation.scores(of: model, rows: Array(fixture.inputs.prefix(4)))
    return 0
}
