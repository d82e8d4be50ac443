/// Vector helpers for lowerings that compute several samples at once in SIMD lanes.
///
/// The scalar instructions of `IRBuilder` (fadd, fmul, fcmp, select, load, store) already accept
/// vector operands; this adds the few vector-only forms the batched lowering needs.
extension IRBuilder {
    /// A vector of `lanes` copies of `scalar` (constant-folded when `scalar` is a constant).
    ///
    /// Emitted as a chain of `insertelement`s, which instcombine turns into one broadcast
    /// (`shufflevector ... zeroinitializer`, a `vbroadcastsd` on x86).
    func splat(_ scalar: IRValue, lanes: Int, name: String) -> IRValue {
        var vector = scalar.type.vector(lanes).zero
        for lane in 0..<lanes {
            vector = insertElement(vector, scalar, at: lane, name: "\(name).\(lane)")
        }
        return vector
    }

    /// Applies `transform` to each lane of `vector` and gathers the results in a vector.
    ///
    /// For operations with no vector form that must stay bit-exact (libm's `tanh`, `exp`).
    func mapLanes(
        _ vector: IRValue, lanes: Int, name: String, _ transform: (IRValue, Int) -> IRValue
    ) -> IRValue {
        var result = vector.type.zero
        for lane in 0..<lanes {
            let element = extractElement(vector, at: lane, name: "\(name).e\(lane)")
            result = insertElement(result, transform(element, lane), at: lane, name: "\(name).\(lane)")
        }
        return result
    }

    /// `i64` constant shorthand.
    func int(_ value: Int) -> IRValue { context.int64.constant(integer: value) }
}
