internal import CLLVM

/// An LLVM type (`double`, `float`, `i64`, `double*`, a vector or a function type).
struct IRType {
    let ref: LLVMTypeRef

    /// A pointer to this type in address space 0: `double*` on LLVM 14, where pointers are
    /// typed, and the opaque `ptr` from LLVM 15 on.
    var pointer: IRType { IRType(ref: LLVMPointerType(ref, 0)) }

    /// A pointer to this type in `addressSpace`: 1 is NVPTX's global memory (`ld.global`),
    /// where kernels' buffers live; on a CPU target address spaces below 256 are plain memory.
    func pointer(addressSpace: Int) -> IRType { IRType(ref: LLVMPointerType(ref, UInt32(addressSpace))) }

    /// The zero value of this type (`0.0`, `0`, `zeroinitializer`).
    var zero: IRValue { IRValue(ref: LLVMConstNull(ref)) }

    /// A constant of this floating-point type.
    ///
    /// NOTE: `LLVMConstReal` takes a `Double`; for `float` it rounds to nearest, as `Float(d)` does.
    func constant(_ value: Double) -> IRValue { IRValue(ref: LLVMConstReal(ref, value)) }

    /// A constant of this integer type.
    func constant(integer value: Int) -> IRValue {
        IRValue(ref: LLVMConstInt(ref, UInt64(bitPattern: Int64(value)), 1))
    }

    /// A vector of `count` elements of this type.
    func vector(_ count: Int) -> IRType { IRType(ref: LLVMVectorType(ref, UInt32(count))) }

    /// The function type `(parameters) -> self`.
    func function(_ parameters: [IRType]) -> IRType {
        var refs: [LLVMTypeRef?] = parameters.map(\.ref)
        return IRType(ref: LLVMFunctionType(ref, &refs, UInt32(refs.count), 0))
    }
}

/// An SSA value: an instruction, argument, constant or function.
struct IRValue {
    let ref: LLVMValueRef

    /// The value's type.
    var type: IRType { IRType(ref: LLVMTypeOf(ref)) }
}

/// A basic block.
struct BasicBlock {
    let ref: LLVMBasicBlockRef
}

/// A function of a module.
struct Function {
    let ref: LLVMValueRef
    let type: IRType

    /// The function as a callable value.
    var value: IRValue { IRValue(ref: ref) }

    /// The parameter at `index`, given a readable name.
    ///
    /// - Precondition: `index` is below the function type's parameter count (emitters index the
    ///   function types they made; LLVM would read past its argument list).
    func parameter(_ index: Int, name: String) -> IRValue {
        precondition(index >= 0 && index < Int(LLVMCountParams(ref)), "no parameter \(index)")
        // NOTE: LLVMGetParam returns the address of an element of the function's argument
        // array, which is never null for an index in range (checked above).
        let value: LLVMValueRef = LLVMGetParam(ref, UInt32(index))
        LLVMSetValueName2(value, name, name.utf8.count)
        return IRValue(ref: value)
    }

    /// Appends a new basic block.
    func appendBlock(_ name: String, in context: Context) -> BasicBlock {
        BasicBlock(ref: LLVMAppendBasicBlockInContext(context.ref, ref, name))
    }

    /// Marks a pointer parameter `noalias` (and `nocapture`), which lets loops be vectorised.
    func markNoAlias(parameter index: Int, in context: Context) {
        for attribute in ["noalias", "nocapture"] {
            let kind = LLVMGetEnumAttributeKindForName(attribute, attribute.utf8.count)
            let attr = LLVMCreateEnumAttribute(context.ref, kind, 0)
            LLVMAddAttributeAtIndex(ref, UInt32(index + 1), attr)
        }
    }
}

extension Context {
    /// `double`.
    var double: IRType { IRType(ref: LLVMDoubleTypeInContext(ref)) }
    /// `float`.
    var float: IRType { IRType(ref: LLVMFloatTypeInContext(ref)) }
    /// `i1`.
    var bool: IRType { IRType(ref: LLVMInt1TypeInContext(ref)) }
    /// `i8` (a byte: `i8*` addresses machine code).
    var int8: IRType { IRType(ref: LLVMInt8TypeInContext(ref)) }
    /// `i32`.
    var int32: IRType { IRType(ref: LLVMInt32TypeInContext(ref)) }
    /// `i64`.
    var int64: IRType { IRType(ref: LLVMInt64TypeInContext(ref)) }
    /// `void`.
    var void: IRType { IRType(ref: LLVMVoidTypeInContext(ref)) }
}
