/// Counted loops with loop-carried values, the shape every buffer lowering uses.
extension IRBuilder {
    /// Emits `for index in 0..<count` with values carried from one iteration to the next
    /// (phi nodes), and returns the carried values after the last iteration.
    ///
    /// The loop is emitted bottom-tested (a do-while), the form LLVM's loop passes expect after
    /// rotation; `count` is a compile-time constant, and a zero count emits nothing.
    ///
    /// - Parameters:
    ///   - name: prefix for the blocks and the induction variable (`name.i`).
    ///   - body: receives the `i64` index and the carried values; emits the body (it may emit
    ///     nested loops) and returns the carried values for the next iteration.
    func loop(
        _ name: String,
        count: Int,
        in function: Function,
        carrying initial: [IRValue] = [],
        body: (_ index: IRValue, _ carried: [IRValue]) throws -> [IRValue]
    ) rethrows -> [IRValue] {
        guard count > 0 else { return initial }
        let int64 = context.int64
        let entry = currentBlock
        let header = function.appendBlock("\(name).body", in: context)
        let exit = function.appendBlock("\(name).end", in: context)
        branch(to: header)

        position(atEndOf: header)
        let index = phi(int64, name: "\(name).i")
        addIncoming(index, int64.constant(integer: 0), from: entry)
        var phis: [IRValue] = []
        for (number, value) in initial.enumerated() {
            let carried = phi(value.type, name: "\(name).c\(number)")
            addIncoming(carried, value, from: entry)
            phis.append(carried)
        }

        let next = try body(index, phis)
        precondition(next.count == initial.count, "loop body must return one value per carried value")
        let latch = currentBlock
        let step = add(index, int64.constant(integer: 1), name: "\(name).next")
        addIncoming(index, step, from: latch)
        for (carried, value) in zip(phis, next) {
            addIncoming(carried, value, from: latch)
        }
        branch(if: lessThan(step, int64.constant(integer: count), name: "\(name).more"), then: header, else: exit)
        position(atEndOf: exit)
        return next
    }
}
