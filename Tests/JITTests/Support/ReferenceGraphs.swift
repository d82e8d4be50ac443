import Micrograd

/// karpathy's README expression (the library's `Expressions.readme()`); `g.data` is 24.70408163265306.
func readmeExpression() -> (a: Value, b: Value, g: Value) {
    let (g, a, b) = Expressions.readme()
    return (a, b, g)
}

/// karpathy's sanity-check expression (the library's `Expressions.sanity()`); `y.data` is -20.
func sanityExpression() -> (x: Value, y: Value) {
    let (y, x) = Expressions.sanity()
    return (x, y)
}

/// Re-evaluates the forward pass of `roots` from their leaves' current data, with the engine's
/// own `Op.evaluate`, and returns the roots' values (Value nodes cache their data at creation).
func evaluate(_ roots: [Value]) -> [Double] {
    var values: [ObjectIdentifier: Double] = [:]
    for node in Value.topologicalOrder(of: roots) {
        let operands = node.children.map { values[ObjectIdentifier($0)]! }
        values[ObjectIdentifier(node)] = node.op == .leaf
            ? node.data
            : node.op.evaluate(operands: operands)
    }
    return roots.map { values[ObjectIdentifier($0)]! }
}
