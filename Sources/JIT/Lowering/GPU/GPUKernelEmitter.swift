/// Emits the batched-inference kernel: one thread per sample.
///
/// ```llvm
/// define ptx_kernel void @mlp_kernel(T addrspace(1)* %params, double addrspace(1)* %x,
///                                    double addrspace(1)* %out, i64 %rows)
/// ```
///
/// Thread `row = ctaid.x * ntid.x + tid.x` (computed in `i64`) runs `@mlp_sample` on row `row`
/// of `x` (`inputCount` doubles) and writes row `row` of `out` (`outputCount` doubles) when
/// `row < rows`; the last block's spare threads do nothing.
///
/// NOTE: `@mlp_sample` is `internal` and `alwaysinline`; the GPU pass pipeline inlines it, so
/// the PTX has one `.entry` and no calls. Buffers are `noalias`, and `params` and `x` also
/// `readonly`, which lets NVPTX read them through the non-coherent cache (`ld.global.nc`).
struct GPUKernelEmitter {
    static let name = "mlp_kernel"

    let sample: GPUSampleEmitter

    func emit(into module: borrowing Module) throws {
        let context = module.context
        let sampleFunction = try sample.emit(into: module)
        sampleFunction.makeInternal()
        sampleFunction.addAttribute("alwaysinline", in: context)

        let int64 = context.int64
        let kernelType = context.void.function(sample.parameterTypes(in: context) + [int64])
        let kernel = module.addFunction(Self.name, type: kernelType)
        kernel.setCallingConvention(Function.ptxKernelCallingConvention)
        for index in 0..<3 { kernel.markNoAlias(parameter: index, in: context) }
        for index in 0..<2 { kernel.addAttribute("readonly", parameter: index, in: context) }
        let parameters = kernel.parameter(0, name: "params")
        let x = kernel.parameter(1, name: "x")
        let out = kernel.parameter(2, name: "out")
        let rows = kernel.parameter(3, name: "rows")

        let builder = IRBuilder(context: context)
        builder.position(atEndOf: kernel.appendBlock("entry", in: context))
        let registers = ["ctaid.x", "ntid.x", "tid.x"].map { name in
            let reader = module.addFunction("llvm.nvvm.read.ptx.sreg.\(name)", type: context.int32.function([]))
            return builder.zeroExtend(builder.call(reader, [], name: name), to: int64, name: "\(name).64")
        }
        let (block, blockSize, thread) = (registers[0], registers[1], registers[2])
        let row = builder.add(builder.mul(block, blockSize, name: "first"), thread, name: "row")
        let body = kernel.appendBlock("sample", in: context)
        let exit = kernel.appendBlock("exit", in: context)
        builder.branch(if: builder.lessThan(row, rows, name: "inside"), then: body, else: exit)

        builder.position(atEndOf: body)
        let double = context.double
        let inputs = builder.elementPointer(
            double, x, builder.mul(row, int64.constant(integer: sample.shape.inputCount), name: "x.off"), name: "x.row")
        let outputs = builder.elementPointer(
            double, out, builder.mul(row, int64.constant(integer: sample.shape.outputCount), name: "out.off"),
            name: "out.row")
        _ = builder.call(sampleFunction, [parameters, inputs, outputs], name: "")
        builder.branch(to: exit)
        builder.position(atEndOf: exit)
        builder.retVoid()
    }
}
