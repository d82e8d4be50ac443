import Foundation
import JIT
import Micrograd

extension BenchWorkload {
    /// W8: ahead-of-time export of the moons model (`Export.model`, host target), and the
    /// exported `moons_predict` (linked into a shared library with the system C compiler and
    /// loaded with `dlopen`) beside the JIT's `evaluate(_:into:)` on one sample.
    static let w8Export = BenchWorkload(
        key: "w8-export", summary: "export MLP(2,[16,16,1]) as an object; its moons_predict beside the JIT's",
        defaultRepeats: 21
    ) { context in
        let model = try fixtureModel(try context.fixture())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mgrad-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let export: (Int) throws -> Double = { n in
            var bytes = 0.0
            for _ in 0..<n { bytes += Double(try Export.model(model, name: "moons", to: directory).objectBytes) }
            return bytes
        }
        var (stats, inner) = try context.timer.measure(repeats: context.repeats(default: 21), export)
        context.record("W8", "Export.model (object + header, host)", stats, inner: inner)

        let library = directory.appendingPathComponent("libmoons.so")
        try runTool("cc", ["-shared", "-o", library.path, directory.appendingPathComponent("moons.o").path, "-lm"])
        guard let handle = dlopen(library.path, RTLD_NOW | RTLD_LOCAL) else {
            throw MicrogradError.invalidArgument("W8: dlopen failed: \(String(cString: dlerror()))")
        }
        defer { dlclose(handle) }
        guard let symbol = dlsym(handle, "moons_predict") else {
            throw MicrogradError.invalidArgument("W8: moons_predict is not in \(library.path)")
        }
        typealias Predict = @convention(c) (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
        let predict = unsafeBitCast(symbol, to: Predict.self)
        let compiled = try jit(model, options: context.jitOptions())
        var exported = [0.0]
        predict(w3Input, &exported)
        guard exported[0].bitPattern == (try compiled(w3Input))[0].bitPattern else {
            throw MicrogradError.invalidArgument("W8 check failed: exported \(exported[0]) vs JIT \(try compiled(w3Input)[0])")
        }
        let input = benchOpaque(w3Input)
        var output = [0.0]
        let viaExport: (Int) throws -> Double = { n in
            var sum = 0.0
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    for _ in 0..<n {
                        predict(x.baseAddress!, y.baseAddress!)
                        sum += y[0]
                    }
                }
            }
            return sum
        }
        (stats, inner) = try context.timer.measure(repeats: context.repeats(default: 21), viaExport)
        context.record("W8", "exported moons_predict (dlopen'd object)", stats, inner: inner)
        let viaJIT = evaluateLoop(compiled, input: input)
        (stats, inner) = try context.timer.measure(repeats: context.repeats(default: 21), viaJIT)
        context.record("W8", "JIT evaluate(_:into:) (same sitting)", stats, inner: inner)
    }

    /// Runs a tool found on PATH; throws with its output when it fails.
    private static func runTool(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MicrogradError.invalidArgument("W8: \(tool) failed: \(output)")
        }
    }
}
