import Micrograd
import Testing

/// The shared example graphs (`Expressions`, used by the CLI and the Examples) give the
/// published numbers.
@Suite("Examples: README expression, lecture neuron, sanity check")
struct ExamplesTests {
    @Test("README expression: g, dg/da, dg/db as in micrograd's README, to 1e-12 absolute")
    func readme() {
        let (g, a, b) = Expressions.readme()
        #expect(g.grad == 0 && a.grad == 0)  // forward only until backward()
        g.backward()
        #expect(abs(g.data - 24.70408163265306) < 1e-12)
        #expect(abs(a.grad - 138.83381924198252) < 1e-12)
        #expect(abs(b.grad - 645.5772594752186) < 1e-12)
        #expect(a.label == "a" && b.label == "b" && g.label == "g")
    }

    @Test("lecture neuron: o = 1/sqrt(2), x1.grad = -1.5, w1.grad = 1, to 1e-12 absolute")
    func lectureNeuron() {
        let neuron = Expressions.lectureNeuron()
        neuron.o.backward()
        #expect(abs(neuron.o.data - 0.7071067811865476) < 1e-12)
        #expect(abs(neuron.x1.grad - -1.5) < 1e-12)
        #expect(abs(neuron.w1.grad - 1.0) < 1e-12)
        // do/dn = 1 - o^2 = 0.5 flows unchanged to b and, times the other operand, to x2 and w2.
        #expect(abs(neuron.b.grad - 0.5) < 1e-12)
        #expect(abs(neuron.x2.grad - 0.5) < 1e-12)
        #expect(neuron.w2.grad == 0)  // times x2 = 0, exactly
    }

    @Test("sanity check: y = -20 and dy/dx = 46, exactly")
    func sanity() {
        let (y, x) = Expressions.sanity()
        y.backward()
        #expect(y.data == -20)
        #expect(x.grad == 46)
    }

    @Test("each call builds a fresh graph: gradients do not leak between calls")
    func freshGraphs() {
        let first = Expressions.sanity()
        first.y.backward()
        let second = Expressions.sanity()
        #expect(first.x !== second.x)
        #expect(second.x.grad == 0)
    }
}
