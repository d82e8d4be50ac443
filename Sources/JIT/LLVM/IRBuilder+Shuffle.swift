internal import CLLVM

/// Shuffles, pointer casts and explicitly aligned memory access, for lowerings that build
/// vectors from contiguous scalars (the single-sample MLP's 4x4 weight transposes).
extension IRBuilder {
    /// `shufflevector a, b, mask`: lane `i` of the result is lane `mask[i]` of `a ++ b`.
    func shuffle(_ a: IRValue, _ b: IRValue, mask: [Int], name: String) -> IRValue {
        let int32 = IRType(ref: LLVMInt32TypeInContext(context.ref))
        var lanes: [LLVMValueRef?] = mask.map { int32.constant(integer: $0).ref }
        let constantMask = LLVMConstVector(&lanes, UInt32(lanes.count))
        return IRValue(ref: LLVMBuildShuffleVector(builderRef, a.ref, b.ref, constantMask, name))
    }

    /// Reinterprets a pointer as a pointer to `type` (LLVM 14 pointers are typed).
    func bitcast(_ pointer: IRValue, toPointerTo type: IRType, name: String) -> IRValue {
        IRValue(ref: LLVMBuildBitCast(builderRef, pointer.ref, type.pointer.ref, name))
    }

    /// Loads a `type` (e.g. `<4 x double>`) from `pointer`, assuming only `alignment` bytes.
    ///
    /// NOTE: a plain vector load assumes the vector's own alignment (32 bytes for
    /// `<4 x double>`); rows of a weight buffer are only 8-byte aligned, so the alignment is
    /// stated explicitly.
    func load(_ type: IRType, from pointer: IRValue, alignment: Int, name: String) -> IRValue {
        let typed = bitcast(pointer, toPointerTo: type, name: "\(name).vp")
        let value = load(type, from: typed, name: name)
        LLVMSetAlignment(value.ref, UInt32(alignment))
        return value
    }

    /// Stores `value` at `pointer` (reinterpreted as a pointer to its type), `alignment` bytes aligned.
    func store(_ value: IRValue, to pointer: IRValue, alignment: Int, name: String) {
        let typed = bitcast(pointer, toPointerTo: value.type, name: "\(name).vp")
        let store = store(value, to: typed)
        LLVMSetAlignment(store.ref, UInt32(alignment))
    }
}

extension IRBuilder {
    /// A vector of `lanes` copies of `scalar`: one `insertelement` and a zero-mask shuffle
    /// (a `vbroadcastsd` on x86).
    func broadcast(_ scalar: IRValue, lanes: Int, name: String) -> IRValue {
        let vectorType = scalar.type.vector(lanes)
        let first = insertElement(IRValue(ref: LLVMGetUndef(vectorType.ref)), scalar, at: 0, name: "\(name).ins")
        return shuffle(first, first, mask: Array(repeating: 0, count: lanes), name: name)
    }

    /// A vector of the given scalars, lane by lane.
    func vector(of scalars: [IRValue], name: String) -> IRValue {
        var result = IRValue(ref: LLVMGetUndef(scalars[0].type.vector(scalars.count).ref))
        for (lane, scalar) in scalars.enumerated() {
            result = insertElement(result, scalar, at: lane, name: "\(name).\(lane)")
        }
        return result
    }
}

extension IRBuilder {
    /// The in-register transpose of `rows.count` vectors of as many lanes (a power of two):
    /// lane `j` of result `k` is lane `k` of `rows[j]`.
    ///
    /// One stage per bit `b` of the lane index (b = 1, 2, 4, ...): each pair of rows `i` and
    /// `i + b` (bit `b` of `i` clear) swaps its off-diagonal blocks of `b` lanes, which swaps
    /// bit `b` of the row and lane indices; all stages together swap them whole. `L log2 L`
    /// two-source shuffles: 4 for 2 lanes, 8 for 4, 24 for 8, 64 for 16.
    func transpose(_ rows: [IRValue], name: String) -> [IRValue] {
        let lanes = rows.count
        precondition(lanes > 0 && lanes & (lanes - 1) == 0, "a power of two of rows")
        var current = rows
        var bit = 1
        while bit < lanes {
            var next = current
            for i in 0..<lanes where i & bit == 0 {
                let low = (0..<lanes).map { p in p & bit == 0 ? p : lanes + p - bit }
                let high = (0..<lanes).map { p in p & bit == 0 ? p + bit : lanes + p }
                next[i] = shuffle(current[i], current[i + bit], mask: low, name: "\(name).s\(bit).\(i)")
                next[i + bit] = shuffle(current[i], current[i + bit], mask: high, name: "\(name).s\(bit).\(i + bit)")
            }
            current = next
            bit <<= 1
        }
        return current
    }
}
