@testable import JIT
import Micrograd
import Testing

/// A compilation with nothing to compute is a thrown `JITError.invalidGraph`, not a function
/// that does nothing.
@Suite("Nothing to compute")
struct NothingToComputeTests {
    /// True for `JITError.invalidGraph` whose message says there is nothing to compute.
    static func isNothingToCompute(_ error: any Error) -> Bool {
        guard case JITError.invalidGraph(let reason) = error else { return false }
        return reason.contains("nothing to compute")
    }

    @Test("jit of no outputs throws, with inputs or without")
    func noOutputs() {
        let a = Value(1)
        #expect { _ = try jit([], inputs: [a]) } throws: { Self.isNothingToCompute($0) }
        #expect { _ = try jit([], inputs: []) } throws: { Self.isNothingToCompute($0) }
    }

    @Test("a gradient by nothing throws; by an input or a parameter alone it compiles")
    func noDerivatives() throws {
        let x = Value(3), w = Value(2)
        let loss = x * w
        #expect { _ = try jit(loss, inputs: [], parameters: []) } throws: { Self.isNothingToCompute($0) }
        let byInput = try jit(loss, inputs: [x], parameters: [])
        #expect(try byInput.valueAndGradient(inputs: [3], parameters: []).inputGradient == [2])
        let byParameter = try jit(loss, inputs: [], parameters: [w])
        #expect(try byParameter.valueAndGradient(inputs: [], parameters: [2]).parameterGradient == [3])
    }
}
