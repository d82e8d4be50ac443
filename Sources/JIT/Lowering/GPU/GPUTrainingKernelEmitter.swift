/// Emits the four kernels of the GPU training step, one per `GPUTrainingEmitter.Entry`:
///
/// ```llvm
/// define ptx_kernel void @train_row(<the 11 pointers>, i64 %n, double %rate, double %alpha, double %invn)
/// ```
///
/// Thread `index = ctaid.x * ntid.x + tid.x` (in `i64`) calls the entry's function when
/// `index` is below the entry's thread count: `n` rows for `train_row`, one thread for
/// `train_loss`, the parameter count for `train_gradient` and `train_update`.
///
/// NOTE: the per-thread functions are `internal` and `alwaysinline`, so the PTX has four
/// `.entry` kernels and no calls (the built-in math routines are inlined the same way).
struct GPUTrainingKernelEmitter {
    let step: GPUTrainingEmitter

    func emit(into module: borrowing Module) throws {
        let context = module.context
        let functions = try step.emit(into: module)
        let int64 = context.int64
        let types = step.kernelParameterTypes(in: context)
        let readers = ["ctaid.x", "ntid.x", "tid.x"].map { name in
            module.addFunction("llvm.nvvm.read.ptx.sreg.\(name)", type: context.int32.function([]))
        }
        for entry in GPUTrainingEmitter.Entry.allCases {
            guard let function = functions[entry] else { continue }
            function.makeInternal()
            function.addAttribute("alwaysinline", in: context)
            let kernel = module.addFunction(entry.kernelName, type: context.void.function(types))
            kernel.setCallingConvention(Function.ptxKernelCallingConvention)
            for index in 0..<GPUTrainingEmitter.pointerCount { kernel.markNoAlias(parameter: index, in: context) }
            let arguments = types.indices.map { kernel.parameter($0, name: "a\($0)") }
            let builder = IRBuilder(context: context)
            builder.position(atEndOf: kernel.appendBlock("entry", in: context))
            let registers = readers.map { reader in
                builder.zeroExtend(builder.call(reader, [], name: "sreg"), to: int64, name: "sreg.64")
            }
            let first = builder.mul(registers[0], registers[1], name: "first")
            let index = builder.add(first, registers[2], name: "index")
            let limit: IRValue
            switch entry {
            case .row: limit = arguments[GPUTrainingEmitter.pointerCount]
            case .loss: limit = builder.index(1)
            case .gradient, .update: limit = builder.index(step.layout.parameterCount)
            }
            let body = kernel.appendBlock("thread", in: context)
            let exit = kernel.appendBlock("exit", in: context)
            builder.branch(if: builder.lessThan(index, limit, name: "inside"), then: body, else: exit)
            builder.position(atEndOf: body)
            _ = builder.call(function, arguments + [index], name: "")
            builder.branch(to: exit)
            builder.position(atEndOf: exit)
            builder.retVoid()
        }
    }
}
