import Micrograd

/// A graph linearised into a list of SSA slots: the middle of the pipeline
/// `Value graph --linearize--> Program --emit--> LLVM module`.
///
/// Slot `k` is defined once, from slots before it, so each shared node of the graph is one slot
/// and the program has as many slots as the graph has distinct nodes. Print it to read it:
///
/// ```
/// program(inputs: 1, outputs: 1)
///   %0 = input 0
///   %1 = const 2.0
///   %2 = mul %0, %1
///   output 0 = %2
/// ```
public struct Program: Sendable, CustomStringConvertible {
    /// An op a program computes: a primitive `Op` the lowering has a row for, never an engine-only
    /// form (a leaf, a custom op, a weighted sum, an op with a constant operand).
    ///
    /// Only linearisation makes one (`init?` rejects the engine-only forms), so it is the one
    /// place where those forms are expanded, and the lowering and adjoint tables need no rows
    /// for them.
    public struct Instruction: Sendable, Equatable, CustomStringConvertible {
        /// The op; never an engine-only form.
        public let op: Op

        /// The instruction for `op`, or nil when `op` is an engine-only form.
        init?(_ op: Op) {
            switch op {
            case .leaf, .custom, .weightedSum: return nil
            default: if op.constantOperand != nil { return nil }
            }
            self.op = op
        }

        /// The op's mnemonic (`add`, `pow`).
        public var description: String { op.mnemonic }
    }

    /// How a slot is defined.
    public enum Slot: Sendable, Equatable {
        /// The `index`-th input argument.
        case input(Int)
        /// A constant: a leaf that is not an input, baked in at its data when linearised.
        case constant(Double)
        /// An instruction applied to earlier slots (one operand per arity).
        case operation(Instruction, [Int])
    }

    /// The slots, each defined from earlier ones only.
    public internal(set) var slots: [Slot] = []
    /// The slot of each output, in output order (a slot may appear several times).
    public internal(set) var outputs: [Int] = []
    /// The number of inputs the program reads.
    public let inputCount: Int

    /// Creates an empty program reading `inputCount` inputs.
    public init(inputCount: Int) {
        self.inputCount = inputCount
    }

    /// The number of slots that are operations (the instructions the program computes).
    public var operationCount: Int {
        slots.reduce(0) { count, slot in
            if case .operation = slot { return count + 1 }
            return count
        }
    }

    /// The program as text: one line per slot, then one per output.
    public var description: String {
        var text = "program(inputs: \(inputCount), outputs: \(outputs.count))\n"
        for (index, slot) in slots.enumerated() {
            text += "  %\(index) = \(slot.text)\n"
        }
        for (index, slot) in outputs.enumerated() {
            text += "  output \(index) = %\(slot)\n"
        }
        return text
    }
}

extension Program.Slot {
    /// The slot's right-hand side in program text: `input 0`, `const 2.0`, `mul %0, %1`, `pow %0, 3.0`.
    var text: String {
        switch self {
        case .input(let input): "input \(input)"
        case .constant(let value): "const \(value)"
        case .operation(let instruction, let operands):
            "\(instruction.op.mnemonic) " + (operands.map { "%\($0)" } + instruction.constantOperands)
                .joined(separator: ", ")
        }
    }
}

extension Program.Instruction {
    /// Constants an op carries besides its operands (the exponent of `pow`, the bounds of
    /// `clamp`), as text.
    var constantOperands: [String] {
        switch op {
        case .power(let exponent): [String(exponent)]
        case .clamp(let lower, let upper): [String(lower), String(upper)]
        default: []
        }
    }
}
