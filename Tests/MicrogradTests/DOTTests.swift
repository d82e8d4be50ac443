import Foundation
import Micrograd
import Testing

/// DOT text of value graphs: structure, determinism, escaping, size, and Graphviz accepting it.
@Suite("DOT: Graphviz text of value graphs")
struct DOTTests {
    /// The lines of `dot` that declare record nodes, op nodes and edges.
    struct Counts: Equatable {
        var records = 0
        var ops = 0
        var edges = 0
    }

    static func counts(_ dot: String) -> Counts {
        var counts = Counts()
        for line in dot.split(separator: "\n") {
            if line.contains("->") {
                counts.edges += 1
            } else if line.contains("[shape=record") {
                counts.records += 1
            } else if line.contains("_op [label=") {
                counts.ops += 1
            }
        }
        return counts
    }

    @Test("the lecture neuron: 10 records, 5 op nodes, 14 edges, micrograd's record labels")
    func neuronStructure() {
        let neuron = Expressions.lectureNeuron()
        neuron.o.backward()
        let dot = neuron.o.dot()
        // Counted by hand: values x1 x2 w1 w2 b, x1*w1, x2*w2, their sum, n, o; ops * * + + tanh;
        // edges: 2 operands for each of the 4 binary ops, 1 for tanh, 1 op -> value for each of 5.
        #expect(Self.counts(dot) == Counts(records: 10, ops: 5, edges: 14))
        #expect(dot.hasPrefix("digraph \"micrograd\" {\n"))
        #expect(dot.contains("rankdir=LR"))
        #expect(dot.contains("label=\"{ x1 | data 2.0000 | grad -1.5000 }\""))
        #expect(dot.contains("label=\"{ w1 | data -3.0000 | grad 1.0000 }\""))
        #expect(dot.contains("label=\"{ o | data 0.7071 | grad 1.0000 }\""))
        #expect(dot.contains("[label=\"tanh\"]"))
        #expect(dot.hasSuffix("}\n"))
    }

    @Test("ids follow topological order: n0 is the first operand, the root is last, op -> value edges")
    func stableIds() {
        let a = Value(1, label: "a"), b = Value(2, label: "b")
        let c = a * b
        let dot = c.dot()
        let expected = """
            n0 [shape=record, label="{ a | data 1.0000 | grad 0.0000 }"];
            n1 [shape=record, label="{ b | data 2.0000 | grad 0.0000 }"];
            n2 [shape=record, label="{ data 2.0000 | grad 0.0000 }"];
            n2_op [label="*"];
            n0 -> n2_op;
            n1 -> n2_op;
            n2_op -> n2;
          """
        #expect(dot.contains(expected))
    }

    @Test("deterministic: the same graph twice and two identical graphs give the same text")
    func determinism() {
        let first = Expressions.readme()
        first.g.backward()
        let second = Expressions.readme()
        second.g.backward()
        #expect(first.g.dot() == first.g.dot())
        #expect(first.g.dot() == second.g.dot())
        #expect(!first.g.dot().contains("0x"))  // no addresses
    }

    @Test("an operand used twice gets two edges; shared nodes of several roots appear once")
    func reuseAndSeveralRoots() {
        let x = Value(3, label: "x")
        let square = x * x
        #expect(Self.counts(square.dot()) == Counts(records: 2, ops: 1, edges: 3))
        let y = square + 1  // a constant leaf, an add
        let z = square.tanh()
        let dot = DOT.render([y, z])
        // Records: x, x*x, 1, y, z; ops: *, +, tanh; edges: 2+1 (mul), 2+1 (add), 1+1 (tanh).
        #expect(Self.counts(dot) == Counts(records: 5, ops: 3, edges: 8))
    }

    @Test("labels with quotes, braces, bars, angle brackets, backslashes and newlines are escaped")
    func escaping() {
        let v = Value(1, label: "a \"q\" {x|y} <p> \\ end\nnext")
        let op = CustomOp(name: "my\"op\\", forward: { $0 }, derivative: { _ in 1 })
        let w = v.apply(op)
        let dot = DOT.render(w, options: DOTOptions(rankDirection: .topToBottom, graphName: "g\"1"))
        #expect(dot.contains(#"{ a \"q\" \{x\|y\} \<p\> \\ end\nnext | data 1.0000"#))
        #expect(dot.contains(#"[label="my\"op\\"]"#))
        #expect(dot.hasPrefix(#"digraph "g\"1" {"#))
        #expect(dot.contains("rankdir=TB"))
    }

    @Test("non-finite numbers print as nan and inf; fractionDigits is honoured")
    func numbers() {
        let v = Value(.nan, label: "v")
        let w = Value(-.infinity, label: "w")
        let dot = DOT.render([v, w], options: DOTOptions(fractionDigits: 2))
        #expect(dot.contains("{ v | data nan | grad 0.00 }"))
        #expect(dot.contains("{ w | data -inf | grad 0.00 }"))
    }

    @Test("a chain of 100,000 nodes renders (iterative walk): 100,001 records, 2 edges per op")
    func largeGraph() {
        var v = Value(0.5, label: "x")
        for _ in 0..<100_000 {
            v = v.tanh()
        }
        let dot = v.dot()
        #expect(Self.counts(dot) == Counts(records: 100_001, ops: 100_000, edges: 200_000))
        #expect(dot.contains("n100000_op -> n100000;"))
    }

    @Test("Graphviz `dot -Tsvg` accepts the text and draws every field (needs graphviz: scripts/setup)")
    func graphvizRendersSVG() throws {
        let located = Graphviz.locateDot()
        try #require(located != nil, "Graphviz `dot` is missing: run scripts/setup (scripts/test does)")
        let (g, _, _) = Expressions.readme()
        g.backward()
        let svg = String(decoding: try Graphviz.render(g.dot(), format: "svg"), as: UTF8.self)
        #expect(svg.contains("<svg"))
        #expect(svg.contains("data 24.7041"))
        #expect(svg.contains("grad 138.8338"))

        // Escaped labels come back as their original text, with `{x|y}` kept as one field.
        let tricky = Value(1, label: "a \"q\" {x|y} <p>")
        let trickySVG = String(decoding: try Graphviz.render(tricky.dot()), as: UTF8.self)
        #expect(trickySVG.contains("a &quot;q&quot; {x|y} &lt;p&gt;"))
    }

    @Test("Graphviz failures are thrown errors with dot's message; a missing executable too")
    func graphvizErrors() throws {
        try #require(Graphviz.locateDot() != nil, "Graphviz `dot` is missing: run scripts/setup")
        #expect {
            try Graphviz.render("digraph { a -> }")
        } throws: { error in
            guard case let .failed(status, message) = error as? GraphvizError else { return false }
            return status != 0 && message.contains("syntax error")
        }
        let missing = URL(fileURLWithPath: "/nonexistent/dot")
        #expect(throws: GraphvizError.self) {
            try Graphviz.render("digraph {}", executable: missing)
        }
    }
}
