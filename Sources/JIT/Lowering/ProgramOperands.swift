/// Every slot's kind and operands in flat arrays (compressed rows): `list[offsets[s] ..<
/// offsets[s + 1]]` are the operand slots of slot `s`.
///
/// NOTE: performance. Each operation slot of a `Program` holds its operands in an array of its
/// own, a heap object apart from every other: on a program of a million slots each pass that
/// read them (finding dot products, cutting the program into pieces) missed the cache once a
/// slot, about 0.1 s a pass. This table is built in one such pass and read in order after it.
struct ProgramOperands {
    /// What a slot is, as far as the partition and the chain finder care.
    enum Kind: UInt8 {
        case input, constant, add, multiply, other
    }

    let kinds: [Kind]
    let offsets: [Int32]
    let list: [Int32]

    /// The table of `program` (whose slots number less than `Int32.max`, as `ProgramCode` checks).
    init(_ program: Program) {
        var kinds: [Kind] = [], offsets: [Int32] = [0], list: [Int32] = []
        kinds.reserveCapacity(program.slots.count)
        offsets.reserveCapacity(program.slots.count + 1)
        list.reserveCapacity(2 * program.slots.count)
        for slot in program.slots {
            switch slot {
            case .input: kinds.append(.input)
            case .constant: kinds.append(.constant)
            case .operation(let instruction, let operands):
                kinds.append(instruction.op == .add ? .add : instruction.op == .multiply ? .multiply : .other)
                for operand in operands { list.append(Int32(truncatingIfNeeded: operand)) }
            }
            offsets.append(Int32(truncatingIfNeeded: list.count))
        }
        self.kinds = kinds
        self.offsets = offsets
        self.list = list
    }

    var count: Int { kinds.count }

    /// The operand slots of `slot`.
    func operands(of slot: Int) -> ArraySlice<Int32> { list[Int(offsets[slot])..<Int(offsets[slot + 1])] }

    /// Operand `position` of `slot` (which has more than `position` operands).
    func operand(_ position: Int, of slot: Int) -> Int { Int(list[Int(offsets[slot]) + position]) }
}
