import ArgumentParser
import JIT
import Micrograd

/// `mgrad ir EXAMPLE`: the LLVM IR the JIT emits for an example, before or after optimisation.
struct IRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ir",
        abstract: "Print the LLVM IR the JIT emits for an example graph or MLP.",
        discussion: """
            A graph example is compiled as a function of its leaves, so every op shows in the \
            IR (with its leaves as constants it would fold to one number). `mlp` is \
            MLP(2,[16,16,1]), lowered as loops over its parameter buffer: its single-sample \
            kernel (@mlp), then its batched kernel (@mlp_block), each shaped for the target \
            (--cpu) and numerics (--numerics). `mlp --device cuda` prints the GPU kernel \
            instead: its LLVM IR for the NVPTX target, then the PTX (no GPU or driver needed).
            """
    )

    /// What to compile.
    enum Example: String, CaseIterable, ExpressibleByArgument {
        case readme, neuron, sanity, mlp

        /// The example graph this names; nil for `mlp`, which is not a graph.
        var graph: ExampleGraph? {
            switch self {
            case .readme: .readme
            case .neuron: .neuron
            case .sanity: .sanity
            case .mlp: nil
            }
        }
    }

    @Argument(help: "The example: readme, neuron, sanity (graphs) or mlp (MLP(2,[16,16,1])).")
    var example: Example

    /// Which IR to print.
    enum Stage: String, EnumerableFlag {
        case optimized, unoptimized

        static func help(for value: Stage) -> ArgumentHelp? {
            switch value {
            case .optimized: "The IR after the pass pipeline, as it runs (the default)."
            case .unoptimized: "The IR as emitted, before optimisation."
            }
        }
    }

    @Flag var stage: Stage = .optimized

    @Option(name: .customShort("O", allowingJoined: true),
            help: ArgumentHelp("Optimisation level 0-3 (default 2), as in -O2.", valueName: "level"))
    var level = 2

    @Flag(help: "Compile in Float32 instead of Float64.")
    var float32 = false

    @Option(help: ArgumentHelp(
        "Generate code for this LLVM CPU (haswell, x86-64-v2, skylake-avx512, ...) instead of the host.",
        valueName: "name"))
    var cpu: String?

    @Option(help: "exact (bit for bit the interpreter's order, the default) or fast (FMA, split sums).")
    var numerics: JITOptions.Numerics = .exact

    /// Which device's code to print (`mlp` only).
    enum DeviceKind: String, CaseIterable, ExpressibleByArgument {
        case cpu, cuda
    }

    @Option(help: "cpu (the default) or cuda: the GPU kernel's IR and PTX (mlp only).")
    var device: DeviceKind = .cpu

    @Flag(help: "Print the linearised program (the SSA list before LLVM) instead of IR (graphs only).")
    var program = false

    func validate() throws {
        guard JITOptions.OptimizationLevel(rawValue: level) != nil else {
            throw ValidationError("-O takes 0, 1, 2 or 3; got \(level)")
        }
        if program && example == .mlp {
            throw ValidationError("--program applies to graph examples; an MLP is lowered as loops, not a program")
        }
        if device == .cuda && example != .mlp {
            throw ValidationError("--device cuda applies to the mlp example")
        }
    }

    func run() throws {
        let options = JITOptions(
            precision: float32 ? .float32 : .float64,
            optimization: JITOptions.OptimizationLevel(rawValue: level) ?? .o2,
            processor: cpu.map { .cpu($0) } ?? .host, numerics: numerics)
        let afterPasses = stage == .optimized
        guard let example = example.graph else {
            if device == .cuda {
                let listing = try ptxListing(
                    for: MLP(inputs: 2, layers: [16, 16, 1], seed: 1337), options: options, optimized: afterPasses)
                print("; target: \(listing.target)")
                print(listing.ir, terminator: "")
                print("; PTX of @\(listing.kernelName)")
                print(listing.ptx, terminator: "")
                return
            }
            let model = try jit(MLP(inputs: 2, layers: [16, 16, 1], seed: 1337), options: options)
            print("; target: \(try options.target())")
            print(try model.ir(optimized: afterPasses), terminator: "")
            print(try model.batchIR(optimized: afterPasses), terminator: "")
            return
        }
        let graph = example.build()
        if program {
            print(try Program(outputs: [graph.root], inputs: graph.leaves), terminator: "")
            return
        }
        let compiled = try jit([graph.root], inputs: graph.leaves, options: options)
        print(try compiled.ir(optimized: afterPasses), terminator: "")
    }
}

extension JITOptions.Numerics: ExpressibleByArgument {}
