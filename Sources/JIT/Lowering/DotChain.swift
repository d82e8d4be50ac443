/// A dot product found in a program: the slots `((start + a0 * b0) + a1 * b1) + ... + an * bn`,
/// where every product and every partial sum but the last is used once, by the next sum.
///
/// Issue 15's "find structure": a traced neuron, a `.weightedSum` expanded by linearisation, or a
/// loss summed over terms is such a chain, two slots per term. Compiled as a loop over two
/// tables of buffer indices (`PieceEmitter.emitDotChain`), it costs the code generator a few
/// dozen instructions instead of two per term; the loop multiplies and adds in the chain's
/// order, each rounded, so the result has the same bits as the slots one by one.
///
/// NOTE (measured, `mgrad bench --only w7-mlp`, 2-vCPU Xeon, release build): MLP(784,[128,64,10])
/// traced for one sample (about 330,000 slots, 202 chains) compiled in 0.88 s at O0 and 1.12 s
/// at O2 as slots, 0.25 s and 0.28 s with the chains as loops; a call took 199-209 us before,
/// 108-134 us after (the straight-line code was 1.6 MB, the loops fit in the caches). Its
/// gradient by the pixels (`w7-mlp-grad`): 2.0-2.3 s and 1.0-1.4 ms a call as slots, 0.21 s
/// and 0.34-0.38 ms with the chains run backwards as loops too (`keepingReverseOrder`).
struct DotChain: Sendable {
    /// Where a side of the products is read from.
    enum Source: Sendable, Equatable {
        case inputs, values, constants
    }

    /// The slot the chain starts from (the bias of a neuron).
    let start: Int
    /// The left and right operand slots of each product, in order.
    let left: [Int32], right: [Int32]
    /// The buffer each side is read from (every term's operand on that side is of one kind).
    let leftSource: Source, rightSource: Source
    /// The last sum: the slot whose value the chain computes.
    let end: Int

    /// Chains of fewer terms stay slots (a loop does not pay for them).
    static let minimumTerms = 16
    /// Terms per iteration of a chain's loop (see `PieceEmitter.emitDotChain`).
    static let unroll = 8

    /// The chains of `program` with at least `minimumTerms` terms, ordered by their end slot.
    ///
    /// A chain is cut where a side's kind changes (an input after constants), so each side
    /// reads one buffer. Linear in the program.
    static func find(in program: Program, operands: ProgramOperands) -> [DotChain] {
        let count = operands.count, kinds = operands.kinds
        // Uses of each slot (outputs count twice, so an output is never absorbed), and its last user.
        var uses = [Int32](repeating: 0, count: count), user = [Int32](repeating: -1, count: count)
        for index in 0..<count {
            for operand in operands.operands(of: index) {
                uses[Int(operand)] &+= 1
                user[Int(operand)] = Int32(index)
            }
        }
        for output in program.outputs { uses[output] &+= 2 }
        func product(ofLink index: Int) -> (Int, Int)? {
            guard kinds[index] == .add else { return nil }
            let rhs = operands.operand(1, of: index)
            guard kinds[rhs] == .multiply, uses[rhs] == 1 else { return nil }
            return (operands.operand(0, of: rhs), operands.operand(1, of: rhs))
        }
        func source(_ slot: Int) -> Source {
            switch kinds[slot] {
            case .input: .inputs
            case .constant: .constants
            case .add, .multiply, .other: .values
            }
        }
        // A link continues into the next when it is used once, as the next link's partial sum.
        func continues(_ index: Int) -> Bool {
            guard uses[index] == 1 else { return false }
            let next = Int(user[index])
            return product(ofLink: next) != nil && operands.operand(0, of: next) == index
        }
        var chains: [DotChain] = []
        for end in 0..<count where product(ofLink: end) != nil && !continues(end) {
            // Walk back from the last link while the partial sum is a link used only here.
            var links: [Int] = [end]
            while case let sum = operands.operand(0, of: links[links.count - 1]),
                  product(ofLink: sum) != nil, uses[sum] == 1 {
                links.append(sum)
            }
            links.reverse()
            appendChains(over: links, operands: operands, product: product, source: source, into: &chains)
        }
        chains.sort { $0.end < $1.end }
        return chains
    }

    /// Splits `links` (in order) where a side's source changes and keeps the runs long enough.
    private static func appendChains(
        over links: [Int], operands: ProgramOperands, product: (Int) -> (Int, Int)?, source: (Int) -> Source,
        into chains: inout [DotChain]
    ) {
        var first = 0
        while first < links.count {
            guard let (a0, b0) = product(links[first]) else { return }
            let leftSource = source(a0), rightSource = source(b0)
            var last = first
            while last + 1 < links.count, let (a, b) = product(links[last + 1]),
                  source(a) == leftSource, source(b) == rightSource {
                last += 1
            }
            if last - first + 1 >= minimumTerms {
                var left: [Int32] = [], right: [Int32] = []
                for link in links[first...last] {
                    guard let (a, b) = product(link) else { return }
                    left.append(Int32(a))
                    right.append(Int32(b))
                }
                chains.append(DotChain(start: operands.operand(0, of: links[first]), left: left, right: right,
                                       leftSource: leftSource, rightSource: rightSource, end: links[last]))
            }
            first = last + 1
        }
    }
}

extension DotChain {
    /// The chains of `chains` whose loops keep a reverse sweep's order of additions: the chains
    /// a compiled gradient may use.
    ///
    /// A chain's reverse loop adds all its contributions (to its product operands, and to its
    /// start) when the sweep reaches the chain's last sum, where the slots one by one add each
    /// at its product's (or first sum's) own position. An operand's adjoint gets the same
    /// additions in the same order either way when, along its users in slot order, those
    /// "effective" positions never go down (ties come from one chain, whose loop runs its terms
    /// last to first, as the sweep does). A chain that moves a contribution past another user
    /// of the operand is dropped, and the check repeats until none is (each round drops one
    /// chain at least, and is linear in the program). A chain whose start is also one of its
    /// product operands is dropped too (the sweep adds to the start between its terms).
    static func keepingReverseOrder(
        _ chains: [DotChain], in program: Program, operands: ProgramOperands
    ) -> [DotChain] {
        let count = operands.count
        // Users of each slot, in slot order (compressed rows).
        var userOffsets = [Int32](repeating: 0, count: count + 1)
        for index in 0..<count {
            for operand in operands.operands(of: index) { userOffsets[Int(operand) + 1] &+= 1 }
        }
        for index in 0..<count { userOffsets[index + 1] &+= userOffsets[index] }
        var fill = userOffsets, users = [Int32](repeating: 0, count: Int(userOffsets[count]))
        for index in 0..<count {
            for operand in operands.operands(of: index) {
                users[Int(fill[Int(operand)])] = Int32(index)
                fill[Int(operand)] &+= 1
            }
        }
        var kept = chains.filter { chain in
            !chain.left.contains(Int32(chain.start)) && !chain.right.contains(Int32(chain.start))
        }
        while true {
            // The chain each absorbed slot belongs to (products and partial sums).
            var owner = [Int32](repeating: -1, count: count)
            for (number, chain) in kept.enumerated() {
                for slot in chain.absorbedSlots(operands) { owner[slot] = Int32(number) }
            }
            func effective(_ user: Int) -> Int { owner[user] >= 0 ? kept[Int(owner[user])].end : user }
            var dropped = Set<Int>()
            for chain in kept {
                let watched = [chain.start] + chain.left.map(Int.init) + chain.right.map(Int.init)
                for slot in watched where operands.kinds[slot] != .constant {
                    var previous = Int.min, previousUser = -1
                    for position in Int(userOffsets[slot])..<Int(userOffsets[slot + 1]) {
                        let user = Int(users[position]), now = effective(user)
                        if now < previous, owner[previousUser] >= 0 { dropped.insert(Int(owner[previousUser])) }
                        if now >= previous { previous = now; previousUser = user }
                    }
                }
            }
            if dropped.isEmpty { break }
            kept = kept.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        }
        return kept
    }

    /// Whether each of `count` slots is computed inside one of `chains`' loops.
    static func absorbed(by chains: [DotChain], count: Int, operands: ProgramOperands) -> [Bool] {
        var absorbed = [Bool](repeating: false, count: count)
        for chain in chains {
            for slot in chain.absorbedSlots(operands) { absorbed[slot] = true }
        }
        return absorbed
    }

    /// The products and partial sums the chain's loop computes (every link but the last, and
    /// every product), found by walking back from the last sum.
    func absorbedSlots(_ operands: ProgramOperands) -> [Int] {
        var slots: [Int] = [], link = end
        for term in 0..<left.count {
            slots.append(operands.operand(1, of: link))
            if term > 0 { slots.append(link) }
            link = operands.operand(0, of: link)
        }
        return slots
    }
}
