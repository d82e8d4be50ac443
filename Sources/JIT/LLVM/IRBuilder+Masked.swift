internal import CLLVM

/// Overloaded vector intrinsics (masked loads and stores, fused multiply-add) and the integer
/// helpers of run-time ranges, for the register-tiled training kernels.
///
/// NOTE: intrinsics are declared through `LLVMLookupIntrinsicID` and
/// `LLVMGetIntrinsicDeclaration` with their overloaded types, so LLVM itself mangles the name:
/// `llvm.masked.load.v8f64.p0v8f64` with LLVM 14's typed pointers, `llvm.masked.load.v8f64.p0`
/// from LLVM 15 on.
extension IRBuilder {
    /// Loads the first `valid` lanes of a `lanes`-wide vector of doubles at `pointer[index]` and
    /// zeros in the others, never touching memory past `pointer[index + valid - 1]`.
    ///
    /// `valid == lanes` is a plain load; `valid == 0` touches no memory. Alignment: 8 bytes.
    func loadDoubles(
        _ pointer: IRValue, _ index: IRValue, lanes: Int, valid: Int, name: String
    ) throws -> IRValue {
        let vectorType = context.double.vector(lanes)
        if valid <= 0 { return vectorType.zero }
        let address = doubleElement(pointer, index, name: "\(name).a")
        if valid >= lanes { return load(vectorType, from: address, alignment: 8, name: name) }
        let typed = bitcast(address, toPointerTo: vectorType, name: "\(name).vp")
        let callee = try intrinsic("llvm.masked.load", overloads: [vectorType, vectorType.pointer])
        return call(callee, [typed, int32(8), laneMask(lanes: lanes, valid: valid), vectorType.zero], name: name)
    }

    /// Stores the first `valid` lanes of `value` to `pointer[index]...`, leaving the memory of
    /// the other lanes untouched (a plain store when `valid` is every lane; nothing when 0).
    func storeDoubles(
        _ value: IRValue, _ pointer: IRValue, _ index: IRValue, lanes: Int, valid: Int, name: String
    ) throws {
        if valid <= 0 { return }
        let address = doubleElement(pointer, index, name: "\(name).a")
        if valid >= lanes {
            store(value, to: address, alignment: 8, name: name)
            return
        }
        let vectorType = context.double.vector(lanes)
        let typed = bitcast(address, toPointerTo: vectorType, name: "\(name).vp")
        let callee = try intrinsic("llvm.masked.store", overloads: [vectorType, vectorType.pointer])
        _ = call(callee, [value, typed, int32(8), laneMask(lanes: lanes, valid: valid)], name: "")
    }

    /// Loads the lanes of a vector of doubles at `pointer[index]` whose lane number is below
    /// the run-time `i64` `valid` (none when `valid <= 0`, all when `valid >= lanes`), zeros in
    /// the others; the other lanes' memory is not touched.
    func loadDoubles(
        _ pointer: IRValue, _ index: IRValue, lanes: Int, validCount valid: IRValue, name: String
    ) throws -> IRValue {
        let vectorType = context.double.vector(lanes)
        let address = doubleElement(pointer, index, name: "\(name).a")
        let typed = bitcast(address, toPointerTo: vectorType, name: "\(name).vp")
        let callee = try intrinsic("llvm.masked.load", overloads: [vectorType, vectorType.pointer])
        let mask = laneIndices(lanes: lanes, lessThan: valid, name: "\(name).mask")
        return call(callee, [typed, int32(8), mask, vectorType.zero], name: name)
    }

    /// Stores the lanes of `value` whose lane number is below the run-time `i64` `valid`.
    func storeDoubles(
        _ value: IRValue, _ pointer: IRValue, _ index: IRValue, lanes: Int, validCount valid: IRValue, name: String
    ) throws {
        let vectorType = context.double.vector(lanes)
        let address = doubleElement(pointer, index, name: "\(name).a")
        let typed = bitcast(address, toPointerTo: vectorType, name: "\(name).vp")
        let callee = try intrinsic("llvm.masked.store", overloads: [vectorType, vectorType.pointer])
        let mask = laneIndices(lanes: lanes, lessThan: valid, name: "\(name).mask")
        _ = call(callee, [value, typed, int32(8), mask], name: "")
    }

    /// `<lanes x i1>`: lane i is `i < bound` (`bound` a run-time `i64`).
    func laneIndices(lanes: Int, lessThan bound: IRValue, name: String) -> IRValue {
        lessThan(laneNumbers(lanes: lanes), broadcast(bound, lanes: lanes, name: "\(name).b"), name: name)
    }

    /// `<lanes x i1>`: lane i is `i == lane` (`lane` a run-time `i64`).
    func laneIndices(lanes: Int, equalTo lane: IRValue, name: String) -> IRValue {
        let spread = broadcast(lane, lanes: lanes, name: "\(name).b")
        return IRValue(ref: LLVMBuildICmp(builderRef, LLVMIntEQ, laneNumbers(lanes: lanes).ref, spread.ref, name))
    }

    /// The constant `<0, 1, ..., lanes - 1>` of `i64`s.
    private func laneNumbers(lanes: Int) -> IRValue {
        var numbers: [LLVMValueRef?] = (0..<lanes).map { context.int64.constant(integer: $0).ref }
        return IRValue(ref: LLVMConstVector(&numbers, UInt32(lanes)))
    }

    /// The declaration of the overloaded intrinsic `name` for `overloads` in the module being built.
    ///
    /// - Throws: `JITError.llvm` when this LLVM has no intrinsic of that name.
    func intrinsic(_ name: String, overloads: [IRType]) throws -> Function {
        let id = LLVMLookupIntrinsicID(name, name.utf8.count)
        guard id != 0 else { throw JITError.llvm("LLVM \(LLVMVersion.major) has no intrinsic \(name)") }
        guard let block = LLVMGetInsertBlock(builderRef), let function = LLVMGetBasicBlockParent(block),
              let module = LLVMGetGlobalParent(function)
        else { throw JITError.llvm("internal error: \(name) declared with no insertion point") }
        var types: [LLVMTypeRef?] = overloads.map(\.ref)
        let declaration: LLVMValueRef = LLVMGetIntrinsicDeclaration(module, id, &types, types.count)
        let type: LLVMTypeRef = LLVMIntrinsicGetType(context.ref, id, &types, types.count)
        return Function(ref: declaration, type: IRType(ref: type))
    }

    /// `<lanes x i1>`: true in the first `valid` lanes.
    private func laneMask(lanes: Int, valid: Int) -> IRValue {
        let bit = context.bool
        var bits: [LLVMValueRef?] = (0..<lanes).map { bit.constant(integer: $0 < valid ? 1 : 0).ref }
        return IRValue(ref: LLVMConstVector(&bits, UInt32(lanes)))
    }

    private func int32(_ value: Int) -> IRValue {
        IRType(ref: LLVMInt32TypeInContext(context.ref)).constant(integer: value)
    }

    // MARK: Integer helpers of run-time ranges

    func sub(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildNSWSub(builderRef, a.ref, b.ref, name))
    }

    /// Signed division, rounding toward zero (for non-negative operands: floor).
    func sdiv(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildSDiv(builderRef, a.ref, b.ref, name))
    }

    func smax(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        select(lessThan(a, b, name: "\(name).lt"), b, a, name: name)
    }

    func smin(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        select(lessThan(a, b, name: "\(name).lt"), a, b, name: name)
    }
}
