import Foundation
import JIT
import Micrograd
import Testing

/// Exported graphs and gradients in C programs, and the errors an export reports.
@Suite("Ahead-of-time export: graphs, gradients and errors")
struct ExportGraphTests {
    /// A C program calling `expr_evaluate` and `expr_value_and_gradient` on the rows of `in.bin`.
    static func harness(inputs: Int, outputs: Int) -> String {
        """
        #include <stdio.h>
        #include "expr.h"
        int main(void) {
            double x[EXPR_INPUTS], y[EXPR_OUTPUTS], g[1 + EXPR_INPUTS];
            FILE *in = fopen("in.bin", "rb"), *out = fopen("out.bin", "wb");
            if (!in || !out) return 2;
            while (fread(x, sizeof(double), EXPR_INPUTS, in) == EXPR_INPUTS) {
                expr_evaluate(x, y);
                expr_value_and_gradient(x, g);
                fwrite(y, sizeof(double), EXPR_OUTPUTS, out);
                fwrite(g, sizeof(double), 1 + EXPR_INPUTS, out);
            }
            fclose(in);
            return fclose(out) == 0 ? 0 : 3;
        }
        """
    }

    @Test("a graph and its gradient: the interpreter's value bit for bit, backward()'s derivatives to rounding")
    func graphAndGradient() throws {
        let build = { (a: Value, b: Value, c: Value) -> Value in
            (a * b + c.tanh()) * (a - 0.5).relu() + (b / (c * c + 1)).exp().log() + a.pow(3) - c.sigmoid()
        }
        let a = Value(0), b = Value(0), c = Value(0)
        let loss = build(a, b, c)
        let directory = try CProgram.temporaryDirectory("graph")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Export.graph(
            [loss], inputs: [a, b, c], name: "expr", to: directory, options: ExportOptions(gradient: true))
        #expect(files.functions == ["expr_evaluate", "expr_value_and_gradient"])
        let executable = try CProgram.build(
            Self.harness(inputs: 3, outputs: 1), objects: [files.object], include: directory, in: directory)
        let rows = ExportTests.randomRows(64, inputs: 3, seed: 9).map { $0 / 10 }
        try CProgram.write(rows, to: directory.appendingPathComponent("in.bin"))
        try CProgram.run(executable.path, [], in: directory)
        let results = try CProgram.read(directory.appendingPathComponent("out.bin"), as: Double.self)
        #expect(results.count == 64 * 5)
        for row in 0..<64 {
            let leaves = rows[row * 3 ..< row * 3 + 3].map { Value($0) }
            let reference = build(leaves[0], leaves[1], leaves[2])
            reference.backward()
            let got = Array(results[row * 5 ..< row * 5 + 5])
            #expect(got[0].bitPattern == reference.data.bitPattern)
            #expect(got[1].bitPattern == reference.data.bitPattern)
            for (derivative, leaf) in zip(got[2...], leaves) {
                #expect(abs(derivative - leaf.grad) <= 1e-12 * Swift.max(1, abs(leaf.grad)), "row \(row)")
            }
        }
    }

    @Test("bad names, ops the JIT cannot lower, gradients of several outputs: thrown errors, nothing written")
    func errors() throws {
        let directory = try CProgram.temporaryDirectory("errors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mlp = MLP(inputs: 2, layers: [3, 1], seed: 1)
        for name in ["", "2moons", "moons-v2", "my model", "int", "__moons", "_Moons", "名前"] {
            #expect(throws: JITError.self, "name '\(name)'") { try Export.model(mlp, name: name, to: directory) }
        }
        let square = CustomOp(name: "square", forward: { $0 * $0 }, derivative: { 2 * $0 })
        let x = Value(1)
        #expect(throws: JITError.unsupportedOperation("square")) {
            try Export.graph([x.apply(square) + 1], inputs: [x], name: "bad", to: directory)
        }
        #expect(throws: JITError.self) {
            try Export.graph([x * 2, x + 1], inputs: [x], name: "two", to: directory, options: ExportOptions(gradient: true))
        }
        #expect(throws: JITError.self) { try Export.graph([], inputs: [x], name: "none", to: directory) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("a directory that cannot be written is an exportFailed error naming it")
    func unwritableDirectory() throws {
        let directory = try CProgram.temporaryDirectory("unwritable")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let mlp = MLP(inputs: 2, layers: [3, 1], seed: 1)
        do {
            try Export.model(mlp, name: "m", to: file.appendingPathComponent("out"))
            Issue.record("an export under a regular file succeeded")
        } catch let JITError.exportFailed(reason) {
            #expect(reason.contains(file.path))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["plain-file"])
    }

    @Test("exporting again replaces the files, and leaves no staging folder behind")
    func replaces() throws {
        let directory = try CProgram.temporaryDirectory("replace")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Export.model(MLP(inputs: 2, layers: [3, 1], seed: 1), name: "m", to: directory)
        let first = try Data(contentsOf: directory.appendingPathComponent("m.h"))
        try Export.model(MLP(inputs: 5, layers: [3, 1], seed: 1), name: "m", to: directory)
        let second = try String(contentsOf: directory.appendingPathComponent("m.h"), encoding: .utf8)
        #expect(first != Data(second.utf8))
        #expect(second.contains("#define M_INPUTS 5"))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)) == ["m.o", "m.h", "module.modulemap"])
    }
}
