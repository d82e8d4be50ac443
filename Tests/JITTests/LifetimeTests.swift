import Foundation
import JIT
import Micrograd
import Testing

/// Releasing a compiled object releases its JIT memory.
@Suite("Lifetime", .serialized)
struct LifetimeTests {
    /// Resident set size in bytes, from /proc/self/statm (second field, in pages).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test("2,000 compile-and-release cycles keep resident memory flat")
    func compileReleaseCycles() throws {
        let x = Value(0)
        let y = (x * x + 1).tanh() - x.sigmoid()
        // Warm up: one-time initialisation and allocator pools.
        // O0: this test is about memory, and O0 compiles several times faster.
        let options = JITOptions(optimization: .o0)
        for _ in 0..<200 { _ = try jit([y], inputs: [x], options: options)([0.5]) }
        let before = Self.residentBytes()
        for i in 0..<2_000 {
            let compiled = try jit([y], inputs: [x], options: options)
            #expect(try compiled([Double(i)]).count == 1)
        }
        let growth = Self.residentBytes() - before
        // A leaked LLJIT or module costs well over 10 KB per cycle (20 MB for 2,000 cycles).
        #expect(growth < 12_000_000, "resident memory grew by \(growth) bytes over 2,000 cycles")
    }

    @Test("a compiled model keeps the parameter storage alive after the MLP is gone")
    func modelOutlivesMLP() throws {
        var model: MLP? = MLP(inputs: 2, layers: [3, 1], seed: 4)
        let expected = try model!([0.1, 0.2]).map(\.data)
        let compiled = try jit(model!)
        model = nil
        #expect(try compiled([0.1, 0.2]) == expected)
    }

    @Test("a compiled expression does not depend on the graph after compilation")
    func expressionOutlivesGraph() throws {
        var compiled: CompiledExpression?
        do {
            let (_, _, g) = readmeExpression()
            compiled = try jit(g)
        }
        #expect(isClose(compiled!(), 24.70408163265306))
    }
}
