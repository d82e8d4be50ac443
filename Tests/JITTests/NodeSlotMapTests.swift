@testable import JIT
import Micrograd
import Testing

@Suite("Node slot map (the linearisation's identity table)")
struct NodeSlotMapTests {
    @Test("every inserted node finds its slot; nodes never inserted find none", arguments: [0, 1, 7, 1000, 50_000])
    func insertAndFind(count: Int) {
        let nodes = (0..<count).map { Value(Double($0)) }
        let strangers = (0..<100).map { Value(Double(-$0)) }
        var map = NodeSlotMap(capacity: count)
        for (index, node) in nodes.enumerated().reversed() {
            map.insert(Unmanaged.passUnretained(node), slot: 3 * index)
        }
        for (index, node) in nodes.enumerated() {
            #expect(map.slot(of: Unmanaged.passUnretained(node)) == 3 * index)
        }
        for node in strangers { #expect(map.slot(of: Unmanaged.passUnretained(node)) == nil) }
        withExtendedLifetime((nodes, strangers)) {}
    }

    @Test("a graph whose nodes share operands is linearised once per node, in the engine's order")
    func sharedOperands() throws {
        let x = Value(1.5), y = Value(-2)
        var node = x * y
        for step in 0..<200 { node = step % 3 == 0 ? node * x + y : (node + node).tanh() }
        let program = try Program(outputs: [node, x * y], inputs: [x, y])
        // One slot per distinct node (the constant of no op here), operands first.
        #expect(program.slots.count == node.topologicalOrder().count + 1)
        for (index, slot) in program.slots.enumerated() {
            if case .operation(_, let operands) = slot { #expect(operands.allSatisfy { $0 < index }) }
        }
        let compiled = try jit([node], inputs: [x, y])
        #expect(try compiled([1.5, -2])[0].bitPattern == node.data.bitPattern)
    }
}
