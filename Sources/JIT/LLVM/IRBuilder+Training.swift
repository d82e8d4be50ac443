/// Loops whose trip count is only known at run time, and the small memory idioms the
/// training lowerings repeat (accumulate into a buffer element, loops counting down).
extension IRBuilder {
    /// Emits `for index in 0..<count` where `count` is an `i64` known only at run time, with
    /// values carried from one iteration to the next, and returns them after the last iteration
    /// (the initial values when `count <= 0`).
    ///
    /// The loop is guarded (a zero or negative count skips it) and bottom-tested.
    func loop(
        _ name: String,
        runtimeCount count: IRValue,
        in function: Function,
        carrying initial: [IRValue] = [],
        body: (_ index: IRValue, _ carried: [IRValue]) throws -> [IRValue]
    ) rethrows -> [IRValue] {
        let int64 = context.int64
        return try guardedLoop(
            name, in: function, carrying: initial,
            enter: lessThan(int64.constant(integer: 0), count, name: "\(name).any"),
            start: int64.constant(integer: 0),
            step: { add($0, int64.constant(integer: 1), name: "\(name).next") },
            more: { lessThan($0, count, name: "\(name).more") },
            body: body)
    }

    /// Emits `for index in (0..<count).reversed()` for a run-time `i64` count, with carried values.
    func reverseLoop(
        _ name: String,
        runtimeCount count: IRValue,
        in function: Function,
        carrying initial: [IRValue] = [],
        body: (_ index: IRValue, _ carried: [IRValue]) throws -> [IRValue]
    ) rethrows -> [IRValue] {
        let int64 = context.int64
        let minusOne = int64.constant(integer: -1)
        return try guardedLoop(
            name, in: function, carrying: initial,
            enter: lessThan(int64.constant(integer: 0), count, name: "\(name).any"),
            start: add(count, minusOne, name: "\(name).last"),
            step: { add($0, minusOne, name: "\(name).next") },
            more: { lessThan(minusOne, $0, name: "\(name).more") },
            body: body)
    }

    /// Emits `for index in (0..<count).reversed()` for a compile-time count (nothing when 0).
    func reverseLoop(
        _ name: String,
        count: Int,
        in function: Function,
        body: (_ index: IRValue) throws -> Void
    ) rethrows {
        let int64 = context.int64
        _ = try loop(name, count: count, in: function) { step, _ in
            let flipped = mul(step, int64.constant(integer: -1), name: "\(name).neg")
            try body(add(flipped, int64.constant(integer: count - 1), name: "\(name).k"))
            return []
        }
    }

    /// The shared shape of the run-time loops: `if enter { do { body } while more(step(i)) }`.
    private func guardedLoop(
        _ name: String,
        in function: Function,
        carrying initial: [IRValue],
        enter: IRValue,
        start: IRValue,
        step: (IRValue) -> IRValue,
        more: (IRValue) -> IRValue,
        body: (_ index: IRValue, _ carried: [IRValue]) throws -> [IRValue]
    ) rethrows -> [IRValue] {
        let entry = currentBlock
        let header = function.appendBlock("\(name).body", in: context)
        let exit = function.appendBlock("\(name).end", in: context)
        branch(if: enter, then: header, else: exit)

        position(atEndOf: header)
        let index = phi(context.int64, name: "\(name).i")
        addIncoming(index, start, from: entry)
        let phis = initial.enumerated().map { number, value in
            let carried = phi(value.type, name: "\(name).c\(number)")
            addIncoming(carried, value, from: entry)
            return carried
        }
        let next = try body(index, phis)
        precondition(next.count == initial.count, "loop body must return one value per carried value")
        let latch = currentBlock
        let following = step(index)
        addIncoming(index, following, from: latch)
        for (carried, value) in zip(phis, next) {
            addIncoming(carried, value, from: latch)
        }
        branch(if: more(following), then: header, else: exit)

        position(atEndOf: exit)
        // After the loop each carried value is the initial one (loop skipped) or the last one.
        return zip(initial, next).enumerated().map { number, pair in
            let result = phi(pair.0.type, name: "\(name).r\(number)")
            addIncoming(result, pair.0, from: entry)
            addIncoming(result, pair.1, from: latch)
            return result
        }
    }

    /// `pointer[index]` of `double`s as an address.
    func doubleElement(_ pointer: IRValue, _ index: IRValue, name: String) -> IRValue {
        elementPointer(context.double, pointer, index, name: name)
    }

    /// Loads `pointer[index]`, a `double`.
    func loadDouble(_ pointer: IRValue, _ index: IRValue, name: String) -> IRValue {
        load(context.double, from: doubleElement(pointer, index, name: "\(name).ptr"), name: name)
    }

    /// Stores `value` to `pointer[index]`, a `double`.
    func storeDouble(_ value: IRValue, _ pointer: IRValue, _ index: IRValue, name: String) {
        store(value, to: doubleElement(pointer, index, name: "\(name).ptr"))
    }

    /// `pointer[index] = pointer[index] + value`, the interpreter's `grad += contribution`.
    func accumulate(_ value: IRValue, into pointer: IRValue, at index: IRValue, name: String) {
        let address = doubleElement(pointer, index, name: "\(name).ptr")
        let old = load(context.double, from: address, name: "\(name).old")
        store(fadd(old, value, name: name), to: address)
    }

    /// An `i64` constant.
    func index(_ value: Int) -> IRValue { context.int64.constant(integer: value) }

    /// `base + offset` on `i64`s, folding a zero offset.
    func offset(_ base: IRValue, by offset: Int, name: String) -> IRValue {
        offset == 0 ? base : add(base, index(offset), name: name)
    }
}
