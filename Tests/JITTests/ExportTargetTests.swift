import Foundation
import JIT
import Micrograd
import Testing

/// Objects for other processors and systems: their file format and machine, and the symbols the
/// header declares; and the header itself as C99 and C++.
@Suite("Ahead-of-time export: cross targets and the header")
struct ExportTargetTests {
    /// What an object's first bytes must say for a target, and how its symbols are spelled.
    struct Expectation: Sendable, CustomStringConvertible {
        let target: ExportTarget
        let format: String
        let check: @Sendable ([UInt8]) -> Bool
        let symbolPrefix: String
        var description: String { "\(target)" }
    }

    static func little16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    static func little32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
    }
    static func isELF(_ bytes: [UInt8], machine: Int) -> Bool {
        Array(bytes.prefix(4)) == [0x7F, 0x45, 0x4C, 0x46] && bytes[4] == 2 && little16(bytes, 16) == 1
            && little16(bytes, 18) == machine
    }

    static let expectations: [Expectation] = [
        Expectation(target: .x86_64Linux, format: "ELF x86-64 relocatable",
                    check: { isELF($0, machine: 0x3E) }, symbolPrefix: ""),
        Expectation(target: .aarch64Linux, format: "ELF AArch64 relocatable",
                    check: { isELF($0, machine: 0xB7) }, symbolPrefix: ""),
        Expectation(target: .arm64MacOS, format: "Mach-O arm64 object",
                    check: { little32($0, 0) == 0xFEED_FACF && little32($0, 4) == 0x0100_000C && little32($0, 12) == 1 },
                    symbolPrefix: "_"),
        Expectation(target: .arm64IOS, format: "Mach-O arm64 object",
                    check: { little32($0, 0) == 0xFEED_FACF && little32($0, 4) == 0x0100_000C }, symbolPrefix: "_"),
        Expectation(target: .wasm32, format: "wasm module",
                    check: { Array($0.prefix(8)) == [0x00, 0x61, 0x73, 0x6D, 0x01, 0, 0, 0] }, symbolPrefix: ""),
        Expectation(target: .triple("x86_64-pc-windows-msvc"), format: "COFF x86-64",
                    check: { little16($0, 0) == 0x8664 }, symbolPrefix: ""),
        Expectation(target: .triple("aarch64-unknown-linux-gnu", cpu: "cortex-a72"), format: "ELF AArch64 relocatable",
                    check: { isELF($0, machine: 0xB7) }, symbolPrefix: ""),
    ]

    @Test("each target's object has its format and machine, and the symbols the header names",
          arguments: expectations)
    func crossTarget(_ expectation: Expectation) throws {
        let directory = try CProgram.temporaryDirectory("cross")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mlp = MLP(inputs: 2, layers: [16, 16, 1], seed: 2)
        let files = try Export.model(mlp, name: "moons", to: directory, target: expectation.target)
        let bytes = [UInt8](try Data(contentsOf: files.object))
        #expect(bytes.count == files.objectBytes)
        #expect(expectation.check(bytes), "not a \(expectation.format): \(bytes.prefix(20))")
        let header = try String(contentsOf: files.header, encoding: .utf8)
        for symbol in files.functions {
            #expect(header.contains("void \(symbol)("))
            let spelled = Array((expectation.symbolPrefix + symbol).utf8) + [0]
            #expect(Self.contains(bytes, spelled), "\(expectation.symbolPrefix + symbol) is not in the object's symbols")
        }
        #expect(header.contains(files.target.triple))
    }

    /// Whether `haystack` contains `needle` as consecutive bytes (for wasm, a name is length-prefixed,
    /// not NUL-terminated: the NUL is dropped there).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        let plain = Array(needle.dropLast())
        for candidate in [needle, plain] where !candidate.isEmpty {
            if haystack.indices.contains(where: { start in
                start + candidate.count <= haystack.count && haystack[start ..< start + candidate.count].elementsEqual(candidate)
            }) { return true }
        }
        return false
    }

    @Test("the header compiles as C99 with -Wall -Werror -pedantic and as C++, in both precisions and weights modes",
          arguments: [ExportOptions(), ExportOptions(precision: .float32), ExportOptions(weights: .callerBuffer)])
    func headerCompiles(options: ExportOptions) throws {
        let directory = try CProgram.temporaryDirectory("header")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Export.model(MLP(inputs: 3, layers: [4, 2], seed: 1), name: "tiny", to: directory, options: options)
        let x = Value(0), y = Value(0)
        try Export.graph([x * y + x.tanh(), (x - y).relu()], inputs: [x, y], name: "expr", to: directory)
        let source = "#include \"tiny.h\"\n#include \"expr.h\"\nint main(void) { return TINY_INPUTS + EXPR_OUTPUTS - 5; }\n"
        let file = directory.appendingPathComponent("use.c")
        try Data(source.utf8).write(to: file)
        try CProgram.run("cc", ["-Wall", "-Wextra", "-Werror", "-pedantic", "-std=c99", "-fsyntax-only", "-I", directory.path, file.path])
        try CProgram.run("c++", ["-Wall", "-Wextra", "-Werror", "-x", "c++", "-std=c++11", "-fsyntax-only", "-I", directory.path, file.path])
    }

    @Test("a named CPU of another architecture and an unknown triple or CPU")
    func targetErrors() throws {
        let directory = try CProgram.temporaryDirectory("bad-target")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mlp = MLP(inputs: 2, layers: [3, 1], seed: 1)
        #expect(throws: JITError.self) {
            try Export.model(mlp, name: "m", to: directory, target: .triple("bogus-unknown-nowhere"))
        }
        do {
            try Export.model(mlp, name: "m", to: directory, target: .triple("aarch64-unknown-linux-gnu", cpu: "haswell"))
            Issue.record("an x86 CPU name for AArch64 was accepted")
        } catch let error as JITError {
            #expect("\(error)".contains("unknown CPU 'haswell'"))
        }
        do {
            try Export.model(mlp, name: "m", to: directory, target: .triple("nvptx64-nvidia-cuda"))
            Issue.record("an object file for NVPTX was claimed")
        } catch let error as JITError {
            #expect("\(error)".contains("emitting an object file"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}

/// Objects that call no C library: wasm32 always, any target with the built-in math routines.
@Suite("Ahead-of-time export: objects without the C math library")
struct ExportMathTests {
    /// The undefined symbols of an object, by `llvm-nm -u` (the toolchain ships it; binutils cannot read wasm).
    static func undefinedSymbols(_ object: URL) throws -> [String] {
        let output = try CProgram.run("llvm-nm", ["-u", object.path])
        return output.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
    }

    @Test("a tanh and sigmoid model for wasm32 and, with built-in math, for the host: no library symbol",
          arguments: [ExportTarget.wasm32, .host])
    func noLibrary(target: ExportTarget) throws {
        let directory = try CProgram.temporaryDirectory("nolibm")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mlp = MLP(inputs: 3, layers: [8, 8, 2], activations: [.tanh, .sigmoid, .linear], seed: 3)
        let files = try Export.model(mlp, name: "smooth", to: directory, target: target,
                                     options: ExportOptions(mathLibrary: .builtIn))
        // `__stack_pointer` is the wasm linker's own global (the shadow stack), not a library symbol.
        let undefined = try Self.undefinedSymbols(files.object).filter { $0 != "__stack_pointer" }
        #expect(undefined.isEmpty, "undefined: \(undefined)")
        #expect(!(try String(contentsOf: files.moduleMap, encoding: .utf8)).contains("link \"m\""))
        #expect(!(try String(contentsOf: files.header, encoding: .utf8)).contains("-lm"))
    }

    @Test("with the system library the host object calls libm's tanh, and its module map links libm")
    func systemLibrary() throws {
        let directory = try CProgram.temporaryDirectory("libm")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mlp = MLP(inputs: 3, layers: [8, 1], activations: [.tanh, .linear], seed: 3)
        let files = try Export.model(mlp, name: "smooth", to: directory)
        #expect(try Self.undefinedSymbols(files.object).contains("tanh"))
        #expect((try String(contentsOf: files.moduleMap, encoding: .utf8)).contains("link \"m\""))
    }
}
