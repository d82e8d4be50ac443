import Micrograd

/// Emits one piece of a partitioned program (see `ProgramPartition`) as a function
/// `void @name(double* noalias %inputs, double* noalias %values, double* noalias %adjoints,
/// double* noalias %outputs, double* noalias %constants)`.
///
/// A slot of an earlier piece is read from `values` (an operation), `inputs` (an input) or
/// `constants` (a constant: see `ProgramPartition` on why not a literal), once per piece; the
/// piece's own operations that later pieces need are stored to `values` as soon as they are
/// computed, which keeps their live ranges short.
/// Values cross the buffer as `double` (Float32 values widened exactly and narrowed back).
final class PieceEmitter {
    let program: Program
    let partition: ProgramPartition
    let range: Range<Int>
    let emit: ScalarEmitter
    let inputs: IRValue, values: IRValue, adjoints: IRValue, outputs: IRValue, constants: IRValue
    /// The piece's function (its dot-product loops add blocks to it).
    let function: Function
    /// The value of each of the piece's slots, once computed (forward pieces only; nil for inputs and constants).
    private var own: [IRValue?]
    /// Slots read from outside this piece (or from the value buffer), each once.
    private var imported: [Int: IRValue] = [:]
    /// The address of each batched library call's result (an element of the batch array),
    /// loaded at each use.
    private var batched: [Int: IRValue] = [:]
    /// Whether the module keeps value names (`mgrad ir`); else `label` builds none.
    private let keepsNames: Bool

    /// Adds the function `name` for the slots `range` to `module`, positioned at its entry.
    init(_ program: Program, _ partition: ProgramPartition, range: Range<Int>, name: String,
         module: borrowing Module, precision: JITOptions.Precision) {
        let context = module.context
        keepsNames = !context.discardsValueNames
        let double = context.double
        function = module.addFunction(name, type: context.void.function(Array(repeating: double.pointer, count: 5)))
        for parameter in 0..<5 { function.markNoAlias(parameter: parameter, in: context) }
        inputs = function.parameter(0, name: "inputs")
        values = function.parameter(1, name: "values")
        adjoints = function.parameter(2, name: "adjoints")
        outputs = function.parameter(3, name: "outputs")
        constants = function.parameter(4, name: "constants")
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        emit = ScalarEmitter(builder: builder, math: module.mathDeclarations, precision: precision)
        self.program = program
        self.partition = partition
        self.range = range
        own = Array(repeating: nil, count: range.count)
    }

    var builder: IRBuilder { emit.builder }

    /// `text` as a value name, or "" (not built) when the module discards names.
    ///
    /// NOTE: performance. Formatting a name or two per slot was a third of the Swift side of
    /// emitting a million-slot program, for names LLVM then drops.
    func label(_ text: @autoclosure () -> String) -> String { keepsNames ? text() : "" }

    /// The value of `slot`: computed here, or loaded (from the inputs or the value buffer), or a constant.
    func value(of slot: Int) throws -> IRValue {
        if range.contains(slot), let value = own[slot - range.lowerBound] {
            return value
        }
        if let value = imported[slot] { return value }
        if let address = batched[slot] { return builder.load(emit.type, from: address, name: label("r\(slot)")) }
        let value: IRValue
        switch program.slots[slot] {
        case .input(let input):
            value = emit.fromDouble(builder.loadDouble(inputs, builder.index(input), name: label("in\(input)")),
                                    name: label("in\(input).f"))
        case .constant:
            let index = Int(partition.constantIndex[slot])
            let constant = builder.loadDouble(constants, builder.index(index), name: label("c\(slot)"))
            value = emit.fromDouble(constant, name: label("c\(slot).f"))
        case .operation:
            let index = Int(partition.valueIndex[slot])
            guard index >= 0 else {
                throw JITError.invalidGraph("internal error: slot \(slot) is used outside its piece but has no buffer entry")
            }
            value = emit.fromDouble(builder.loadDouble(values, builder.index(index), name: label("v\(slot)")),
                                    name: label("v\(slot).f"))
        }
        imported[slot] = value
        return value
    }

    /// Computes the piece's slots in the order of its `PieceSchedule`, storing each that has a
    /// value-buffer entry; `batches` false computes them in slot order, a call site per library call.
    ///
    /// Inputs and constants are loaded where first used (`value(of:)`); a slot inside a dot
    /// product is computed by the chain's loop, emitted at the chain's last sum. A batch's
    /// arguments go to arrays on the stack (one element per batched slot of the piece), and each
    /// result is loaded from the first array where it is used.
    ///
    /// NOTE (call time): loaded where used, not all at once after the batch's call, a result
    /// needs no register or spill slot of its own until then: the code of a 124,609-node random
    /// DAG was 1.83 MB instead of 2.03 MB (2.13 MB unbatched).
    func emitForward(batches: Bool) throws {
        let schedule = PieceSchedule(program, partition, range: range, batches: batches)
        var arrays: [IRValue] = []
        if schedule.batchedCount > 0 {
            let arity = schedule.steps.reduce(1) { arity, step in
                guard case .batch(let function, _) = step else { return arity }
                return Swift.max(arity, function.arity)
            }
            arrays = (0..<arity).map { builder.alloca(emit.type, count: schedule.batchedCount, name: "batch\($0)") }
        }
        var next = 0
        for step in schedule.steps {
            switch step {
            case .slot(let index):
                try emitSlot(index)
            case .batch(let function, let slots):
                try emitBatch(function, slots, arrays: arrays, at: next)
                next += slots.count
            }
        }
    }

    /// Computes the operation `index` (a dot product's end: the chain's loop).
    private func emitSlot(_ index: Int) throws {
        guard case .operation(let instruction, let operands) = program.slots[index] else { return }
        let name = label("\(instruction.op.mnemonic)\(index)")
        let result = if let chain = partition.chainEnding[index] {
            try emitDotChain(partition.chains[chain], name: name)
        } else {
            try instruction.lower(operands.map(value(of:)), with: emit, name: name)
        }
        define(index, as: result, name: name)
    }

    /// Computes the library calls `slots` (instructions whose `libraryCall` is `function`) with
    /// one call of the batch loop on elements `start ..< start + slots.count` of `arrays`.
    private func emitBatch(_ function: MathFunction, _ slots: [Int], arrays: [IRValue], at start: Int) throws {
        let type = emit.type
        func element(_ array: IRValue, _ position: Int) -> IRValue {
            builder.elementPointer(type, array, builder.index(position), name: label("b\(position)"))
        }
        for (offset, slot) in slots.enumerated() {
            guard case .operation(let instruction, let operands) = program.slots[slot] else { continue }
            let arguments = instruction.libraryArguments(try operands.map(value(of:)), with: emit)
            for (array, argument) in zip(arrays, arguments) {
                builder.store(argument, to: element(array, start + offset))
            }
        }
        emit.callBatch(function, arrays.prefix(function.arity).map { element($0, start) }, count: slots.count)
        for (offset, slot) in slots.enumerated() {
            let result = element(arrays[0], start + offset)
            batched[slot] = result
            if partition.valueIndex[slot] >= 0 {
                let name = label("\(function.rawValue)\(slot)")
                store(builder.load(type, from: result, name: name), of: slot, name: name)
            }
        }
    }

    /// Records `result` as the value of the piece's slot `index`, and stores it (`store`).
    private func define(_ index: Int, as result: IRValue, name: String) {
        own[index - range.lowerBound] = result
        store(result, of: index, name: name)
    }

    /// Stores `result` to the value buffer when the slot `index` has an entry there.
    private func store(_ result: IRValue, of index: Int, name: String) {
        let bufferIndex = Int(partition.valueIndex[index])
        if bufferIndex >= 0 {
            builder.storeDouble(emit.toDouble(result, name: label("\(name).d")), values, builder.index(bufferIndex),
                                name: label("\(name).st"))
        }
    }

    /// The value of `chain`: a loop over its terms carrying the sum, `sum = sum + a[i] * b[i]`
    /// (the slots' own operations in their order, each rounded), reading each side through a
    /// table of buffer indices, `DotChain.unroll` terms an iteration; the last terms (fewer
    /// than `unroll`) follow the loop one by one.
    ///
    /// NOTE (call time): LLVM's fast register allocator keeps a loop-carried value in memory
    /// between iterations, which adds a store and a reload to the sum's dependency chain once
    /// an iteration. With one term an iteration, W7's traced MLP was called in 297 us against
    /// 201 us as slots one by one; unrolled by 8, in 108-134 us.
    private func emitDotChain(_ chain: DotChain, name: String) throws -> IRValue {
        let unroll = DotChain.unroll, count = chain.left.count
        let operands = try termOperands(chain)
        func term(_ index: IRValue) -> IRValue {
            let (a, b) = operands(index)
            return builder.fmul(a, b, name: "ab")
        }
        let looped = builder.loop("dot\(chain.end)", count: count / unroll, in: function,
                                  carrying: [try value(of: chain.start)]) { i, carried in
            let base = builder.mul(i, builder.index(unroll), name: "base")
            var sum = carried[0]
            for j in 0..<unroll {
                sum = builder.fadd(sum, term(builder.add(base, builder.index(j), name: "k")), name: "sum")
            }
            return [sum]
        }
        var sum = looped[0]
        for k in (count / unroll * unroll)..<count { sum = builder.fadd(sum, term(builder.index(k)), name: "sum") }
        return sum
    }

    /// A loader of `chain`'s term operands: given a term's index (`i64`), its `a` and `b` in
    /// the compiled precision, read from their buffers through two tables of buffer indices
    /// (`dotEND.left`, `dotEND.right`; a module's forward and reverse pieces share them).
    func termOperands(_ chain: DotChain) throws -> (IRValue) -> (a: IRValue, b: IRValue) {
        let left = builder.constantTable(
            "dot\(chain.end).left", words: try bufferIndices(chain.left, chain.leftSource))
        let right = builder.constantTable(
            "dot\(chain.end).right", words: try bufferIndices(chain.right, chain.rightSource))
        let leftBuffer = buffer(chain.leftSource), rightBuffer = buffer(chain.rightSource)
        return { [builder, emit] k in
            let a = builder.loadDouble(leftBuffer, builder.loadWord(left, at: k, name: "l"), name: "a")
            let b = builder.loadDouble(rightBuffer, builder.loadWord(right, at: k, name: "r"), name: "b")
            return (emit.fromDouble(a, name: "a.f"), emit.fromDouble(b, name: "b.f"))
        }
    }

    private func buffer(_ source: DotChain.Source) -> IRValue {
        switch source {
        case .inputs: inputs
        case .values: values
        case .constants: constants
        }
    }

    /// The index of each slot of `slots` in the buffer of `source`.
    private func bufferIndices(_ slots: [Int32], _ source: DotChain.Source) throws -> [UInt32] {
        try slots.map { slot in
            let index: Int
            switch program.slots[Int(slot)] {
            case .input(let input): index = input
            case .constant: index = Int(partition.constantIndex[Int(slot)])
            case .operation: index = Int(partition.valueIndex[Int(slot)])
            }
            guard index >= 0 else {
                throw JITError.invalidGraph("internal error: slot \(slot) of a dot product has no buffer entry")
            }
            return UInt32(index)
        }
    }

    /// Stores the program's outputs to `outputs[k]` (the last piece does this).
    func emitOutputs() throws {
        for (index, slot) in program.outputs.enumerated() {
            builder.storeDouble(emit.toDouble(try value(of: slot), name: "out\(index).d"), outputs, builder.index(index),
                                name: "out\(index)")
        }
    }
}
