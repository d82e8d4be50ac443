internal import CLLVM

/// Strided vector reads and writes: `llvm.masked.gather` and `llvm.masked.scatter` of doubles,
/// for a column of a row-major matrix (one instruction on AVX-512, lane by lane elsewhere).
extension IRBuilder {
    /// The doubles at `pointer[base + l · stride]` for the lanes `l` below `valid` (0 above).
    func gatherDoubles(
        _ pointer: IRValue, base: IRValue, stride: Int, lanes: Int, validCount valid: IRValue, name: String
    ) throws -> IRValue {
        let vectorType = context.double.vector(lanes)
        let addresses = strided(pointer, base: base, stride: stride, lanes: lanes, name: "\(name).a")
        let callee = try intrinsic("llvm.masked.gather", overloads: [vectorType, addresses.type])
        let mask = laneIndices(lanes: lanes, lessThan: valid, name: "\(name).mask")
        return call(callee, [addresses, alignment, mask, vectorType.zero], name: name)
    }

    /// Writes the lanes `l` below `valid` of `value` to `pointer[base + l · stride]`.
    func scatterDoubles(
        _ value: IRValue, _ pointer: IRValue, base: IRValue, stride: Int, lanes: Int, validCount valid: IRValue,
        name: String
    ) throws {
        let vectorType = context.double.vector(lanes)
        let addresses = strided(pointer, base: base, stride: stride, lanes: lanes, name: "\(name).a")
        let callee = try intrinsic("llvm.masked.scatter", overloads: [vectorType, addresses.type])
        let mask = laneIndices(lanes: lanes, lessThan: valid, name: "\(name).mask")
        _ = call(callee, [value, addresses, alignment, mask], name: "")
    }

    /// `<lanes x double*>`: `pointer + base + l · stride` for each lane `l`.
    private func strided(_ pointer: IRValue, base: IRValue, stride: Int, lanes: Int, name: String) -> IRValue {
        var steps: [LLVMValueRef?] = (0..<lanes).map { context.int64.constant(integer: $0 * stride).ref }
        let offsets = IRValue(ref: LLVMConstVector(&steps, UInt32(lanes)))
        let indices = IRValue(ref: LLVMBuildAdd(builderRef, broadcast(base, lanes: lanes, name: "\(name).b").ref,
                                                offsets.ref, "\(name).i"))
        var index: [LLVMValueRef?] = [indices.ref]
        return IRValue(ref: LLVMBuildInBoundsGEP2(builderRef, context.double.ref, pointer.ref, &index, 1, name))
    }

    private var alignment: IRValue { IRType(ref: LLVMInt32TypeInContext(context.ref)).constant(integer: 8) }
}
