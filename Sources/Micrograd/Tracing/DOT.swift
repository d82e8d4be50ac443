/// Graphviz DOT text of a value graph, in the style of micrograd's `draw_dot`.
///
/// Every `Value` becomes a record node `{ label | data 2.0000 | grad -3.0000 }` (the label
/// field is left out when the label is empty). Every non-leaf value also gets an op node
/// (`+`, `*`, `tanh`, ...) with an edge from each operand to the op node and one from the op
/// node to the value. An operand used twice (`x * x`) gets two edges.
///
/// The output is deterministic: nodes are numbered `n0, n1, ...` in topological order
/// (operands first, the order of ``Value/topologicalOrder(of:)``), never by memory address,
/// so the same graph always gives the same text. The walk is iterative, so graphs of 10^5
/// nodes and more are fine (Graphviz itself will be slow to lay those out).
///
/// ```swift
/// let (g, _, _) = Expressions.readme()
/// g.backward()
/// print(g.dot())       // pipe into `dot -Tsvg`
/// ```
public enum DOT {
    /// The DOT text of the graph below `root`.
    public static func render(_ root: Value, options: DOTOptions = DOTOptions()) -> String {
        render([root], options: options)
    }

    /// The DOT text of the graph below all of `roots` (shared nodes appear once).
    public static func render(_ roots: [Value], options: DOTOptions = DOTOptions()) -> String {
        let order = Value.topologicalOrder(of: roots)
        var ids: [ObjectIdentifier: Int] = [:]
        ids.reserveCapacity(order.count)
        var out = "digraph \"\(DOTText.quoted(options.graphName))\" {\n"
        out += "  graph [rankdir=\(options.rankDirection.rawValue)];\n"
        out += "  node [fontname=\"Helvetica\"];\n"
        for (index, node) in order.enumerated() {
            // NOTE: identifiers only map nodes to their position; the text uses positions.
            ids[ObjectIdentifier(node)] = index
            out += "  n\(index) [shape=record, label=\"\(recordLabel(of: node, options))\"];\n"
            guard !node.isLeaf else { continue }
            out += "  n\(index)_op [label=\"\(DOTText.quoted(node.op.symbol))\"];\n"
            for child in node.children {
                // NOTE: the force unwrap cannot fail: `topologicalOrder(of:)` lists every operand
                // before the nodes that use it, so its id was stored in an earlier iteration.
                let childIndex = ids[ObjectIdentifier(child)]!
                out += "  n\(childIndex) -> n\(index)_op;\n"
            }
            out += "  n\(index)_op -> n\(index);\n"
        }
        out += "}\n"
        return out
    }

    /// `{ label | data 1.0000 | grad 0.5000 }`, escaped for a record label.
    static func recordLabel(of node: Value, _ options: DOTOptions) -> String {
        let data = FixedPoint.format(node.data, digits: options.fractionDigits)
        let grad = FixedPoint.format(node.grad, digits: options.fractionDigits)
        if node.label.isEmpty {
            return "{ data \(data) | grad \(grad) }"
        }
        return "{ \(DOTText.recordField(node.label)) | data \(data) | grad \(grad) }"
    }
}

extension Value {
    /// The Graphviz DOT text of the graph below this value (see ``DOT``).
    public func dot(options: DOTOptions = DOTOptions()) -> String {
        DOT.render(self, options: options)
    }

    /// The Graphviz DOT text of the graph below this value, laid out in `rankDirection`.
    public func dot(rankDirection: DOTOptions.RankDirection) -> String {
        DOT.render(self, options: DOTOptions(rankDirection: rankDirection))
    }
}
