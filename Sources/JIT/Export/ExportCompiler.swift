internal import CLLVM

/// Builds, verifies and optimises an export's module for its target and emits the object.
enum ExportCompiler {
    /// What is exported, which decides the pass pipeline.
    enum Kind {
        /// An MLP: the kernels' cleanup pipeline (`PassPipeline.Kind.tiles`), after inlining the
        /// kernels into the entry points.
        case model
        /// A graph: the standard pipeline the JIT uses for graph programs.
        case graph
    }

    static func compile(
        name: String, target: TargetDescription, options: ExportOptions, kind: Kind,
        emit: (borrowing Module) throws -> ExportManifest
    ) throws -> (ObjectFile, ExportManifest) {
        let machine = try TargetMachine(exportingFor: target, optimization: options.optimization)
        let builtInMath = options.jitOptions().usesBuiltInMath(on: target)
        let module = Module(name: name, context: try Context(), builtInMath: builtInMath)
        module.setTarget(machine)
        let manifest = try emit(module)
        try module.verify()
        try checkLibraryCalls(in: module, target: target)
        let level = options.optimization
        let pipeline: String = switch (kind, level) {
        case (_, .o0): "default<O0>"
        case (.model, _): "always-inline,\(PassPipeline.text(for: .tiles, level: level))"
        case (.graph, _): PassPipeline.text(for: .standard, level: level)
        }
        try PassPipeline.run(on: module, pipelineText: pipeline, machine: machine, vectorize: level >= .o2)
        return (try machine.emitObject(module), manifest)
    }

    /// Intrinsics that are instructions on every target: everything else a module declares
    /// (`exp`, `tanh`, `llvm.exp`, and `llvm.fma`, a call to `fma` where the processor has no
    /// FMA) may become a call to the C library.
    private static let instructionIntrinsics = ["llvm.fabs.", "llvm.sqrt.", "llvm.masked."]

    /// Throws when the object would call a function the target has no library for (wasm32 has
    /// no C library; its math must be the built-in routines): a safety net behind
    /// `MathDeclarations`, which defines those routines in such modules.
    static func checkLibraryCalls(in module: borrowing Module, target: TargetDescription) throws {
        guard !target.hasSystemMath || module.builtInMath else { return }
        let allowed = target.hasFMA ? instructionIntrinsics + ["llvm.fma."] : instructionIntrinsics
        var calls: [String] = []
        var function = LLVMGetFirstFunction(module.ref)
        while let current = function {
            if LLVMIsDeclaration(current) != 0 {
                let symbol = String(cString: LLVMGetValueName(current))
                if !allowed.contains(where: { symbol.hasPrefix($0) }) { calls.append(symbol) }
            }
            function = LLVMGetNextFunction(current)
        }
        guard calls.isEmpty else {
            throw JITError.exportFailed(
                "\(target.triple) has no C math library, and the code calls \(calls.joined(separator: ", "))")
        }
    }
}
