import Foundation
@testable import Micrograd
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

    /// Classifies each line by bytes (fast enough in debug builds for 10^5-node graphs): an
    /// edge has `->`, a record node `"{`, an op node `op` (as in `n3_op`).
    static func counts(_ dot: String) -> Counts {
        var counts = Counts()
        let utf8 = Array(dot.utf8)
        utf8.withUnsafeBufferPointer { bytes in
            var hasArrow = false, hasBrace = false, hasOp = false
            var previous: UInt8 = 0
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\n"):
                    if hasArrow { counts.edges += 1 } else if hasBrace { counts.records += 1 } else if hasOp { counts.ops += 1 }
                    hasArrow = false; hasBrace = false; hasOp = false
                case UInt8(ascii: ">") where previous == UInt8(ascii: "-"): hasArrow = true
                case UInt8(ascii: "{") where previous == UInt8(ascii: "\""): hasBrace = true
                case UInt8(ascii: "p") where previous == UInt8(ascii: "o"): hasOp = true
                default: break
                }
                previous = byte
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
        let y = square + 1  // one node: the op holds the constant
        let z = square.tanh()
        let dot = DOT.render([y, z])
        // Records: x, x*x, y, z; ops: *, + 1.0, tanh; edges: 2+1 (mul), 1+1 (add 1), 1+1 (tanh).
        #expect(Self.counts(dot) == Counts(records: 4, ops: 3, edges: 7))
        #expect(dot.contains("[label=\"+ 1.0\"]"))
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
        let u = Value(-.nan, label: "u")  // sign bit set, as NaNs from x86 arithmetic are
        let dot = DOT.render([v, w, u], options: DOTOptions(fractionDigits: 2))
        #expect(dot.contains("{ u | data nan | grad 0.00 }"))
        #expect(dot.contains("{ v | data nan | grad 0.00 }"))
        #expect(dot.contains("{ w | data -inf | grad 0.00 }"))
    }

    @Test("numbers are printed exactly as C's %.*f: ties, signs, magnitudes, 10,000 random values")
    func fixedPointMatchesC() {
        let special: [Double] = [
            0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 0.00005, 0.00015, 1.00005, -0.00001,
            0.99995, 9.99995, 123.45675, 0x1p52 / 1e4, 0x1p52 / 1e4 + 1, 4.5e11, 1e12, 0x1p60, 1e300,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        ]
        var random = RandomSource(seed: 7)
        var values = special
        for _ in 0..<5_000 {
            let magnitude = Foundation.pow(10, random.nextUniform(-8, 14))
            let value = random.nextUniform(-1, 1) * magnitude
            values.append(value)
            values.append((value * 1e4).rounded() / 1e4 + 0.00005)  // near a 4-digit tie
        }
        var mismatches: [String] = []
        for value in values {
            for digits in [0, 2, 4, 17] where FixedPoint.format(value, digits: digits) != String(format: "%.\(digits)f", value) {
                mismatches.append("\(value) with \(digits) digits")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("a chain of 100,000 nodes renders (iterative walk): every node, op and edge line is there")
    func largeGraph() {
        var v = Value(0.5, label: "x")
        for _ in 0..<100_000 {
            v = v.tanh()
        }
        let dot = v.dot()
        // 3 header lines, 100,001 records, 100,000 op nodes, 2 edges per op, the closing brace.
        #expect(Self.lineCount(dot) == 3 + 100_001 + 100_000 + 200_000 + 1)
        #expect(dot.contains("  n50000 -> n50001_op;\n  n50001_op -> n50001;\n"))
        #expect(dot.hasSuffix("  n100000_op -> n100000;\n}\n"))
    }

    /// The number of newlines, counted with `memchr` (a byte loop is slow in debug builds).
    static func lineCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            guard var cursor = bytes.baseAddress else { return 0 }
            let end = cursor + bytes.count
            var count = 0
            while cursor < end, let found = memchr(cursor, 0x0A, end - cursor) {
                count += 1
                cursor = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return count
        }
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
