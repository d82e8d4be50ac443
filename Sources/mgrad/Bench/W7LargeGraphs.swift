import Foundation
import JIT
import Micrograd

extension BenchWorkload {
    /// W7 (issue 15): compile time, call time and peak memory of big general graphs, at O0 and
    /// O2: random DAGs (`w7-dag`), the long-live-range shape (`w7-long`), a deep chain
    /// (`w7-chain`), compiled gradients of random DAGs (`w7-grad`) and a traced MLP whose
    /// neurons compile as dot-product loops (`w7-mlp`, one size; its gradient by the pixels,
    /// `w7-mlp-grad`).
    ///
    /// Sizes: 1e4, 1e5, 1e6 nodes by default; `MGRAD_W7_SIZES=10000,100000` (any sizes) and
    /// `MGRAD_W7_LEVELS=0,2` choose others (the single-function compiler of before needed
    /// minutes for the big ones).
    static let w7Dag = w7(key: "w7-dag", shape: .dag, sizes: [10_000, 100_000, 1_000_000])
    static let w7Long = w7(key: "w7-long", shape: .longRange, sizes: [10_000, 100_000, 1_000_000])
    static let w7Chain = w7(key: "w7-chain", shape: .chain, sizes: [1_000_000])
    static let w7Gradient = w7(key: "w7-grad", shape: .dag, sizes: [10_000, 100_000, 1_000_000], gradient: true)
    static let w7MLP = w7(key: "w7-mlp", shape: .mlp, sizes: [100_000])
    static let w7MLPGradient = w7(key: "w7-mlp-grad", shape: .mlp, sizes: [100_000], gradient: true)

    private static func w7(key: String, shape: W7Graph.Shape, sizes: [Int], gradient: Bool = false) -> BenchWorkload {
        let what = gradient ? "compiled gradient of \(shape.rawValue) graphs" : "\(shape.rawValue) graphs"
        return BenchWorkload(key: key, summary: "compile + call time and peak RSS of \(what)", defaultRepeats: 1) {
            context in
            let levels = W7Settings.levels
            for size in W7Settings.sizes(default: sizes) {
                let (output, inputs) = try W7Graph.make(shape, nodes: size)
                let nodes = output.topologicalOrder().count
                for level in levels {
                    var options = context.jitOptions()
                    options.optimization = level
                    let label = "\(gradient ? "gradient " : "")\(shape.rawValue) n=\(nodes) O\(level.rawValue)"
                    let measured = try W7Run(label: label, context: context).measure(
                        output: output, inputs: inputs, nodes: nodes, options: options, gradient: gradient)
                    context.record("W7", label, BenchStats(measured.wall), inner: 1, extra: measured.extra)
                }
            }
        }
    }
}

/// The W7 size and level filters (environment variables; see ``BenchWorkload/w7Dag``).
enum W7Settings {
    /// `sizes`, or those of `MGRAD_W7_SIZES` (any sizes: the generators take a node count, and
    /// the graph they build has up to a quarter more nodes, which the figures report).
    static func sizes(default sizes: [Int]) -> [Int] {
        guard let text = ProcessInfo.processInfo.environment["MGRAD_W7_SIZES"] else { return sizes }
        return text.split(separator: ",").compactMap { Double($0).map { Int($0) } }
    }

    static var levels: [JITOptions.OptimizationLevel] {
        guard let text = ProcessInfo.processInfo.environment["MGRAD_W7_LEVELS"] else { return [.o0, .o2] }
        return text.split(separator: ",").compactMap { Int($0).flatMap(JITOptions.OptimizationLevel.init) }
    }
}
