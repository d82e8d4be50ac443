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

    /// The resident-memory growth over `cycles` compile-and-release cycles of a small graph.
    static func growth(cycles: Int) throws -> Int {
        let x = Value(0)
        let y = (x * x + 1).tanh() - x.sigmoid()
        // O0: this test is about memory, and O0 compiles several times faster.
        let options = JITOptions(optimization: .o0)
        let before = residentBytes()
        for i in 0..<cycles {
            let compiled = try jit([y], inputs: [x], options: options)
            #expect(try compiled([Double(i)]).count == 1)
        }
        return residentBytes() - before
    }

    @Test("compile-and-release cycles keep resident memory flat")
    func compileReleaseCycles() throws {
        _ = try Self.growth(cycles: 200)  // warm up: one-time initialisation, allocator pools
        // NOTE: RSS is process-wide and other suites run in parallel, so one measurement can
        // include their allocations. A real leak (an LLJIT, its code pages and module: far more
        // than 8 KB a cycle) exceeds the bound in every attempt; noise does not. Up to 10
        // attempts (about 1 s each), so one falls after the suites that build 100k-node graphs.
        var growths: [Int] = []
        for _ in 0..<10 {
            let growth = try Self.growth(cycles: 1_000)
            growths.append(growth)
            if growth < 8_000_000 { break }
        }
        #expect(growths.contains { $0 < 8_000_000 }, "resident memory grew by \(growths) bytes per 1,000 cycles")
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
