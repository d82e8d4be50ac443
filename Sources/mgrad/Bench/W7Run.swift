import Foundation
import Synchronization
import JIT
import Micrograd

/// One W7 figure: compiles a graph once (wall and process CPU time, peak RSS above the graph),
/// times calls, and checks the result against the interpreter.
struct W7Run {
    let label: String
    let context: BenchContext

    /// Compile wall times (samples) and the other figures as `extra`.
    func measure(
        output: Value, inputs: [Value], nodes: Int, options: JITOptions, gradient: Bool
    ) throws -> (wall: [Double], extra: [String: Double]) {
        let arguments = inputs.map(\.data)
        let cpu0 = processCPUTimeNs(), t0 = BenchClock.nowNs()
        let (call, before, peak) = try RSSSampler.measure { () throws -> () throws -> [Double] in
            if gradient {
                let compiled = try jit(output, inputs: inputs, parameters: [], options: options,
                                       progress: W7Progress.handler(label))
                return { try compiled.valueAndGradient(inputs: arguments, parameters: []).inputGradient }
            }
            let compiled = try jit([output], inputs: inputs, options: options, progress: W7Progress.handler(label))
            return { try compiled(arguments) }
        }
        let wall = Double(BenchClock.nowNs() - t0), cpu = processCPUTimeNs() - cpu0
        W7Progress.clear()
        var samples: [Double] = [], cpuSamples: [Double] = []
        var result: [Double] = []
        for _ in 0..<5 {
            let c0 = BenchClock.nowNs(), u0 = threadCPUTimeNs()
            result = try call()
            cpuSamples.append(threadCPUTimeNs() - u0)
            samples.append(Double(BenchClock.nowNs() - c0))
        }
        context.timer.record(checksum: result.first ?? 0)
        // NOTE: on a shared machine under `nice` the wall time of a call includes time the thread
        // waited for a core; its CPU time does not (a call runs on the calling thread).
        let callNs = BenchStats(samples).median, callCPU = BenchStats(cpuSamples).median
        let peakAbove = Double(Swift.max(0, peak - before))
        var extra: [String: Double] = [
            "nodes": Double(nodes), "compile_cpu_ns": cpu, "compile_ns_per_node": wall / Double(nodes),
            "call_ns": callNs, "call_cpu_ns": callCPU, "call_cpu_ns_per_node": callCPU / Double(nodes),
            "peak_rss_above_graph_bytes": peakAbove, "peak_rss_bytes_per_node": peakAbove / Double(nodes),
        ]
        extra["matches_interpreter"] = try matches(result, output: output, inputs: inputs, gradient: gradient) ? 1 : 0
        print("    \(label): compile \(formatNs(wall)) wall, \(formatNs(cpu)) CPU; call \(formatNs(callNs)) wall, "
              + "\(formatNs(callCPU)) CPU (\(String(format: "%.2f", callCPU / Double(nodes))) ns/node); peak RSS +"
              + "\(Int(peakAbove) >> 20) MiB (\(Int(peakAbove) / nodes) B/node); "
              + "interpreter \(extra["matches_interpreter"] == 1 ? "matched" : "MISMATCH")")
        return ([wall], extra)
    }

    /// Forward: bit for bit the interpreter's value. Gradient: `backward()`'s within 1e-12 relative.
    private func matches(_ result: [Double], output: Value, inputs: [Value], gradient: Bool) throws -> Bool {
        guard gradient else { return result.first?.bitPattern == output.data.bitPattern }
        output.zeroGrad()
        output.backward()
        return zip(result, inputs.map(\.grad)).allSatisfy { got, want in
            got == want || Swift.abs(got - want) <= 1e-12 * Swift.max(1, Swift.abs(want))
        }
    }
}

/// The compile progress of a W7 graph on standard error (a terminal only), redrawn in place.
enum W7Progress {
    private static let enabled = isatty(STDERR_FILENO) != 0

    /// A handler that draws `label: compiling 40%` (at most one redraw per percent).
    static func handler(_ label: String) -> CompilationProgressHandler? {
        guard enabled else { return nil }
        let last = Mutex(-1)
        return { progress in
            let percent = Int(progress.fraction * 100)
            let key = percent + (progress.stage == .linking ? 1000 : 0)
            guard last.withLock({ old in
                defer { old = key }
                return old != key
            }) else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(label): \(progress.stage.rawValue) \(percent)%".utf8))
        }
    }

    /// Erases the line.
    static func clear() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
