internal import CLLVM
import Micrograd

/// A graph's exported entry points: `NAME_evaluate` (the JIT's `CompiledFunction`) and, when
/// asked, `NAME_value_and_gradient` (the JIT's `CompiledGradient.valueAndGradient`), emitted by
/// the JIT's own program emitters as one function each and renamed.
///
/// NOTE (numerics): the same code the JIT compiles for a graph of up to a few thousand nodes
/// (the single-function path), so in exact Float64 the results are the interpreter's bits and
/// the gradient matches `backward()` as the JIT's does. Float32 entry points widen inputs to
/// double (exactly) and narrow results (exactly), around the JIT's Float32 code.
struct ExportedGraph {
    let program: Program
    let name: String
    let options: ExportOptions
    let target: TargetDescription

    /// Emits the entry points into `module`; returns what the header declares.
    func emit(into module: borrowing Module) throws -> ExportManifest {
        let context = module.context
        let double = context.double
        let precision = options.precision
        let signature = context.void.function([double.pointer, double.pointer])
        try program.emit(into: module, precision: precision)
        var exported: [(inner: String, symbol: String, results: Int)] = [
            (Program.entryName, "\(name)_evaluate", program.outputs.count),
        ]
        if options.gradient {
            guard program.outputs.count == 1 else {
                throw JITError.exportFailed(
                    "a gradient is exported for a graph of one output (a loss); this one has \(program.outputs.count)")
            }
            try program.emitGradient(into: module, precision: precision)
            exported.append((Program.gradientEntryName, "\(name)_value_and_gradient", 1 + program.inputCount))
        }
        for entry in exported {
            guard let function = module.function(named: entry.inner, type: signature) else {
                throw JITError.llvm("internal error: \(entry.inner) was not emitted")
            }
            if precision == .float64 {
                function.rename(to: entry.symbol)
            } else {
                function.makeInternal()
                function.addAttribute("alwaysinline", in: context)
                emitFloatBoundary(module: module, inner: function, symbol: entry.symbol, results: entry.results)
            }
        }
        return manifest()
    }

    /// `void symbol(const float *inputs, float *results)` around the double-boundary `inner`.
    private func emitFloatBoundary(module: borrowing Module, inner: Function, symbol: String, results: Int) {
        let context = module.context
        let (float, double) = (context.float, context.double)
        let type = context.void.function([float.pointer, float.pointer])
        let function = module.addFunction(symbol, type: type)
        function.markNoAlias(parameter: 0, in: context)
        function.markNoAlias(parameter: 1, in: context)
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let inputs = builder.alloca(double, count: Swift.max(1, program.inputCount), name: "in.d")
        let outputs = builder.alloca(double, count: results, name: "out.d")
        let source = function.parameter(0, name: "inputs"), destination = function.parameter(1, name: "results")
        builder.convert(program.inputCount, from: source, float, to: inputs, double, in: function)
        _ = builder.call(inner, [inputs, outputs], name: "")
        builder.convert(results, from: outputs, double, to: destination, float, in: function)
        builder.retVoid()
    }

    private func manifest() -> ExportManifest {
        let upper = name.uppercased()
        let t = options.precision == .float32 ? "float" : "double"
        var entries = [
            ExportManifest.Entry(
                symbol: "\(name)_evaluate", prototype: "void \(name)_evaluate(const \(t) *inputs, \(t) *outputs)",
                doc: ["The graph's outputs: reads \(upper)_INPUTS values from `inputs` (in the order the",
                      "inputs were listed when exporting), writes \(upper)_OUTPUTS values to `outputs`."]),
        ]
        if options.gradient {
            entries.append(ExportManifest.Entry(
                symbol: "\(name)_value_and_gradient",
                prototype: "void \(name)_value_and_gradient(const \(t) *inputs, \(t) *results)",
                doc: ["The graph's one output and its derivatives: reads \(upper)_INPUTS values from `inputs`,",
                      "writes 1 + \(upper)_INPUTS values to `results`: results[0] is the output, results[1 + i]",
                      "its derivative by input i (reverse mode, as micrograd's backward())."]))
        }
        return ExportManifest(
            name: name,
            summary: ["Graph: \(program.slots.count) slots, \(program.inputCount) inputs, \(program.outputs.count) outputs."],
            target: target, options: options,
            macros: [
                ExportManifest.Macro(suffix: "INPUTS", value: program.inputCount, doc: "Inputs of the graph."),
                ExportManifest.Macro(suffix: "OUTPUTS", value: program.outputs.count, doc: "Outputs of the graph."),
            ],
            entries: entries, weightsLayout: [])
    }
}
