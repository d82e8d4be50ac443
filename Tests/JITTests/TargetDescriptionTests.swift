import Testing
@testable import JIT

@Suite struct TargetDescriptionTests {
    @Test func hostIsRead() throws {
        let host = try TargetDescription.host()
        #expect(!host.cpu.isEmpty)
        #expect([128, 256, 512].contains(host.vectorBits))
        #expect(host.lanes(for: .float64) * 2 == host.lanes(for: .float32))
        #expect(try JITOptions().target() == host)
    }

    @Test(arguments: [("x86-64-v2", 128, false), ("haswell", 256, true), ("skylake-avx512", 512, true)])
    func namedCPUs(cpu: String, bits: Int, fma: Bool) throws {
        let host = try TargetDescription.host()
        guard host.triple.hasPrefix("x86_64") else { return }
        let target = try TargetDescription(cpu: cpu)
        #expect(target.vectorBits == bits)
        #expect(target.hasFMA == fma)
        #expect(target.lanes(for: .float64) == bits / 64)
    }

    @Test func featuresOverrideTheName() throws {
        guard try TargetDescription.host().triple.hasPrefix("x86_64") else { return }
        let narrowed = try TargetDescription(cpu: "skylake-avx512", features: "-avx512f")
        #expect(narrowed.vectorBits == 256)
        #expect(narrowed.vectorRegisters == 16)
        let noFMA = try TargetDescription(cpu: "haswell", features: "-fma")
        #expect(!noFMA.hasFMA)
    }

    @Test func unknownCPUThrowsNamingIt() {
        #expect(throws: JITError.self) { try TargetDescription(cpu: "pentium-9000") }
        do {
            _ = try TargetDescription(cpu: "pentium-9000")
        } catch {
            #expect("\(error)".contains("pentium-9000"))
        }
    }
}
