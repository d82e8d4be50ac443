/// A program cut into pieces of consecutive slots, each compiled as its own function, with the
/// slots that cross a cut passed through a buffer of doubles (issue 15).
///
/// Piece `k` holds slots `pieces[k]`. A slot used by a later piece (or, for the gradient, every
/// operation, whose value the reverse sweep reads back) gets an index in the value buffer; a
/// slot whose adjoint a later piece adds to gets an index in the adjoint buffer. Inputs are
/// read from the caller's input array by every piece that uses them, and constants from a
/// constant buffer the compiled code owns (`constants`, filled once), so neither takes room in
/// the per-call buffers.
///
/// NOTE (compile time): LLVM's optimisation and register allocation are superlinear in the
/// length of a function (as one function, a 124,609-node random DAG took 30.6 s at O2, 37x
/// the 12,476-node one, whose gradient alone took 5.2 s); pieces of bounded size
/// make the work per piece constant and total compile time linear (W7: per-node compile time
/// flat from 1e4 to 1e6 nodes), and independent pieces compile in parallel.
///
/// NOTE (memory): three `Int32` and four `Bool` per slot, a `Double` per constant, plus the
/// piece ranges and the chains (two `Int32` per term; finding them takes two more `Int32` per
/// slot for a moment), built in forward passes, without recursion.
///
/// NOTE (compile and link time): a constant as an IR literal becomes a constant-pool entry
/// and one relocation per use, which the code generator emits and the JIT linker resolves;
/// read through the constant buffer's pointer it is a plain load at an offset. Measured on a
/// 1,024-slot-piece module of a random DAG (`llc -O0`): 16% less code-generation time, a third
/// of the relocations.
struct ProgramPartition: Sendable {
    /// Where to cut, and when not to.
    struct Limits: Sendable {
        /// Slots per piece.
        var pieceSize: Int
        /// Programs of at most this many slots stay one function (the fastest for small graphs).
        var singleFunctionLimit: Int
        /// Pieces per LLVM module (one module is compiled to one object by one worker).
        var piecesPerModule: Int

        /// The sizes used by `jit`.
        ///
        /// NOTE (compile time, measured on a 12,476-node random DAG at O2, `default<O2>` on
        /// each piece, CPU time): pieces of 512, 1024 and 2048 slots compiled the forward
        /// program in 437, 376 and 372 ms and its gradient in 2.9, 3.2 and 3.5 s, with calls
        /// equally fast; cutting pieces further into blocks of 64 or 256 slots gained nothing.
        /// Up to 4096 slots one function is as fast to compile and needs no buffers.
        static let standard = Limits(pieceSize: 1024, singleFunctionLimit: 4096, piecesPerModule: 8)
    }

    /// The slot range of each piece, in order.
    let pieces: [Range<Int>]
    /// The value-buffer index of each slot, or -1.
    let valueIndex: [Int32]
    /// The adjoint-buffer index of each slot, or -1 (all -1 unless made for a gradient).
    let adjointIndex: [Int32]
    /// The number of value-buffer entries.
    let valueCount: Int
    /// The number of adjoint-buffer entries.
    let adjointCount: Int
    /// The constant-buffer index of each slot, or -1 (constants only).
    let constantIndex: [Int32]
    /// The constant buffer: the value of each constant slot, in slot order.
    let constants: [Double]
    /// The dot products compiled as loops (forward programs only; see `DotChain`).
    let chains: [DotChain]
    /// The chain ending at each chain's end slot (an index into `chains`).
    let chainEnding: [Int: Int]
    /// Whether each slot is computed inside a chain's loop (and so not emitted on its own).
    let absorbed: [Bool]

    /// The piece that holds `slot`.
    func piece(of slot: Int) -> Int { slot / pieceSize }

    private let pieceSize: Int

    /// Cuts `program` into pieces of `pieceSize` slots.
    ///
    /// - Parameters:
    ///   - gradient: whether the partition serves a forward pass and reverse sweep: then every
    ///     operation outside a chain gets a value index (the reverse sweep reloads it) and every
    ///     slot an earlier piece defines and a later one uses gets an adjoint index.
    ///   - findsChains: whether dot products become loops (`DotChain`; for a gradient, only those
    ///     that keep the reverse sweep's order of additions, `DotChain.keepingReverseOrder`).
    ///     Each operand of a chain's products gets a value index, as the loop reads it from a
    ///     buffer, and for a gradient an adjoint index, as the reverse loop adds to it there.
    init(_ program: Program, pieceSize: Int, gradient: Bool, findsChains: Bool = true) {
        let count = program.slots.count
        let size = Swift.max(1, pieceSize)
        self.pieceSize = size
        pieces = stride(from: 0, to: count, by: size).map { $0 ..< Swift.min(count, $0 + size) }
        let operands = ProgramOperands(program)
        var chains = findsChains ? DotChain.find(in: program, operands: operands) : []
        if gradient && !chains.isEmpty {
            chains = DotChain.keepingReverseOrder(chains, in: program, operands: operands)
        }
        let absorbed = DotChain.absorbed(by: chains, count: count, operands: operands)
        var chainEnding: [Int: Int] = [:]
        for (number, chain) in chains.enumerated() { chainEnding[chain.end] = number }
        var crossing = [Bool](repeating: false, count: count), inMemory = [Bool](repeating: false, count: count)
        // A chain's reverse loop adds to its operands' adjoints in the adjoint buffer.
        var adjointInMemory = [Bool](repeating: false, count: count)
        for index in 0..<count where !absorbed[index] {
            let user = index / self.pieceSize
            if let chain = chainEnding[index].map({ chains[$0] }) {
                if chain.start / self.pieceSize != user { crossing[chain.start] = true }
                for operand in chain.left { inMemory[Int(operand)] = true }
                for operand in chain.right { inMemory[Int(operand)] = true }
                if gradient {
                    for operand in chain.left { adjointInMemory[Int(operand)] = true }
                    for operand in chain.right { adjointInMemory[Int(operand)] = true }
                }
                continue
            }
            for operand in operands.operands(of: index) where Int(operand) / self.pieceSize != user {
                crossing[Int(operand)] = true
            }
        }
        let lastPiece = Swift.max(0, pieces.count - 1)
        var isOutput = [Bool](repeating: false, count: count)
        for output in program.outputs { isOutput[output] = true }
        var values = [Int32](repeating: -1, count: count), adjoints = [Int32](repeating: -1, count: count)
        var valueCount = 0, adjointCount = 0
        var constantIndex = [Int32](repeating: -1, count: count), constants: [Double] = []
        for index in 0..<count {
            let kind = operands.kinds[index]
            let isConstant = kind == .constant, isOperation = !isConstant && kind != .input
            if isConstant, case .constant(let constant) = program.slots[index] {
                constantIndex[index] = Int32(constants.count)
                constants.append(constant)
            }
            let neededLater = crossing[index] || inMemory[index]
                || isOutput[index] && index / self.pieceSize != lastPiece
            if isOperation && !absorbed[index] && (gradient || neededLater) {
                values[index] = Int32(valueCount)
                valueCount += 1
            }
            if gradient && (crossing[index] || adjointInMemory[index]) && !isConstant {
                adjoints[index] = Int32(adjointCount)
                adjointCount += 1
            }
        }
        valueIndex = values
        adjointIndex = adjoints
        self.valueCount = valueCount
        self.adjointCount = adjointCount
        self.constantIndex = constantIndex
        self.constants = constants
        self.chains = chains
        self.chainEnding = chainEnding
        self.absorbed = absorbed
    }
}
