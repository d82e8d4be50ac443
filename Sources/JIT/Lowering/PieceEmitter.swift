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
    /// The piece's own slots, once computed (forward pieces only).
    private var own: [IRValue?]
    /// Slots read from outside this piece (or from the value buffer), each once.
    private var imported: [Int: IRValue] = [:]
    /// Whether the module keeps value names (`mgrad ir`); else `label` builds none.
    private let keepsNames: Bool

    /// Adds the function `name` for the slots `range` to `module`, positioned at its entry.
    init(_ program: Program, _ partition: ProgramPartition, range: Range<Int>, name: String,
         module: borrowing Module, precision: JITOptions.Precision) {
        let context = module.context
        keepsNames = !context.discardsValueNames
        let double = context.double
        let function = module.addFunction(name, type: context.void.function(Array(repeating: double.pointer, count: 5)))
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
        own = []
    }

    var builder: IRBuilder { emit.builder }

    /// `text` as a value name, or "" (not built) when the module discards names.
    ///
    /// NOTE: performance. Formatting a name or two per slot was a third of the Swift side of
    /// emitting a million-slot program, for names LLVM then drops.
    func label(_ text: @autoclosure () -> String) -> String { keepsNames ? text() : "" }

    /// The value of `slot`: computed here, or loaded (from the inputs or the value buffer), or a constant.
    func value(of slot: Int) throws -> IRValue {
        if range.contains(slot), slot - range.lowerBound < own.count, let value = own[slot - range.lowerBound] {
            return value
        }
        if let value = imported[slot] { return value }
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

    /// Computes the piece's slots in order, storing each that has a value-buffer entry.
    func emitForward() throws {
        own.reserveCapacity(range.count)
        for index in range {
            switch program.slots[index] {
            case .input, .constant:
                own.append(try value(of: index))
            case .operation(let instruction, let operands):
                let name = label("\(instruction.op.mnemonic)\(index)")
                let result = try instruction.lower(operands.map(value(of:)), with: emit, name: name)
                own.append(result)
                let bufferIndex = Int(partition.valueIndex[index])
                if bufferIndex >= 0 {
                    builder.storeDouble(emit.toDouble(result, name: label("\(name).d")), values, builder.index(bufferIndex),
                                        name: label("\(name).st"))
                }
            }
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
