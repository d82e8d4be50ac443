internal import CLLVM

/// What an exported module needs beyond what the JIT uses: constant data, linkage, renaming,
/// and the target's pointer-sized integer (`size_t`).
extension Module {
    /// A read-only global array of doubles, `internal` to the object (no symbol is exported):
    /// `@name = internal constant [n x double] [...]`, 64-byte aligned.
    func addConstantArray(_ name: String, of values: [Double]) -> IRValue {
        let double = context.double
        var elements: [LLVMValueRef?] = values.map { LLVMConstReal(double.ref, $0) }
        let initializer = LLVMConstArray(double.ref, &elements, UInt32(elements.count))
        let global = LLVMAddGlobal(ref, LLVMTypeOf(initializer), name)!
        LLVMSetInitializer(global, initializer)
        LLVMSetGlobalConstant(global, 1)
        LLVMSetLinkage(global, LLVMInternalLinkage)
        LLVMSetAlignment(global, 64)
        return IRValue(ref: global)
    }

    /// The function named `name`, if the module has one.
    func function(named name: String, type: IRType) -> Function? {
        LLVMGetNamedFunction(ref, name).map { Function(ref: $0, type: type) }
    }

    /// The integer type of the target's pointers (`size_t`): `i64` on 64-bit targets, `i32` on
    /// wasm32. Valid once `setTarget` has set the data layout.
    var sizeType: IRType {
        let layout = LLVMGetModuleDataLayout(ref)
        return IRType(ref: LLVMIntPtrTypeInContext(context.ref, layout))
    }
}

extension Function {
    /// Gives the function internal linkage: no symbol in the object, free to inline and drop.
    func makeInternal() { LLVMSetLinkage(ref, LLVMInternalLinkage) }

    /// Renames the function (its symbol in the object, for an external one).
    func rename(to name: String) { LLVMSetValueName2(ref, name, name.utf8.count) }
}

extension IRBuilder {
    /// Sets the alignment of a load, store or `alloca` in bytes.
    func setAlignment(_ instruction: IRValue, bytes: Int) { LLVMSetAlignment(instruction.ref, UInt32(bytes)) }

    /// An unsigned index widened to `type` (`zext`), or the value itself if it has that width.
    func widenedIndex(_ value: IRValue, to type: IRType, name: String) -> IRValue {
        if LLVMGetIntTypeWidth(value.type.ref) == LLVMGetIntTypeWidth(type.ref) { return value }
        return zeroExtend(value, to: type, name: name)
    }

    /// `udiv a, b` on unsigned integers.
    func unsignedDivide(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildUDiv(builderRef, a.ref, b.ref, name))
    }

    /// A loop converting `count` values of type `from` at `source` to type `to` at `destination`
    /// (`fpext` from `float`, else `fptrunc`): the Float32 boundary of exported entry points.
    func convert(_ count: Int, from source: IRValue, _ from: IRType, to destination: IRValue, _ to: IRType,
                 in function: Function) {
        let widening = LLVMGetTypeKind(from.ref) == LLVMFloatTypeKind
        _ = loop(widening ? "widen" : "narrow", count: count, in: function) { i, _ in
            let value = load(from, from: elementPointer(from, source, i, name: "src.ptr"), name: "src")
            let converted = widening ? extend(value, to: to, name: "dst") : truncate(value, to: to, name: "dst")
            store(converted, to: elementPointer(to, destination, i, name: "dst.ptr"))
            return []
        }
    }
}
