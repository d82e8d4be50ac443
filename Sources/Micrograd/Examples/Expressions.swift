/// Small named graphs from micrograd's README and lecture, shared by the examples, the CLI and
/// the tests.
///
/// Each builder returns the forward graph only (all gradients zero); call `backward()` on the
/// root to fill in the gradients.
public enum Expressions {
    /// karpathy's README expression over `a = -4` and `b = 2`.
    ///
    /// After `g.backward()`: `g.data == 24.70408163265306`, `a.grad == 138.83381924198252`,
    /// `b.grad == 645.5772594752186` (PyTorch's numbers, as in micrograd's README).
    public static func readme() -> (g: Value, a: Value, b: Value) {
        let a = Value(-4.0, label: "a")
        let b = Value(2.0, label: "b")
        var c = a + b
        var d = a * b + b.pow(3)
        c += c + 1
        c += 1 + c + (-a)
        d += d * 2 + (b + a).relu()
        d += 3 * d + (b - a).relu()
        c.label = "c"
        d.label = "d"
        let e = c - d
        e.label = "e"
        let f = e.pow(2)
        f.label = "f"
        var g = f / 2.0
        g += 10.0 / f
        g.label = "g"
        return (g, a, b)
    }

    /// The neuron of the micrograd lecture: `o = tanh(x1*w1 + x2*w2 + b)`.
    ///
    /// With `x1 = 2, x2 = 0, w1 = -3, w2 = 1, b = 6.8813735870195432` the pre-activation is
    /// about 0.8814, so `o.data ≈ 0.7071067811865476` (1/√2), and after `o.backward()`
    /// `x1.grad ≈ -1.5`, `w1.grad ≈ 1.0`, `x2.grad ≈ 0.5`, `w2.grad == 0`, `b.grad ≈ 0.5`.
    public static func lectureNeuron()
        -> (o: Value, x1: Value, x2: Value, w1: Value, w2: Value, b: Value)
    {
        let x1 = Value(2.0, label: "x1")
        let x2 = Value(0.0, label: "x2")
        let w1 = Value(-3.0, label: "w1")
        let w2 = Value(1.0, label: "w2")
        let b = Value(6.8813735870195432, label: "b")
        let x1w1 = x1 * w1
        x1w1.label = "x1*w1"
        let x2w2 = x2 * w2
        x2w2.label = "x2*w2"
        let sum = x1w1 + x2w2
        sum.label = "x1*w1 + x2*w2"
        let n = sum + b
        n.label = "n"
        let o = n.tanh()
        o.label = "o"
        return (o, x1, x2, w1, w2, b)
    }

    /// karpathy's sanity-check expression over `x = -4` (micrograd's `test_sanity_check`).
    ///
    /// After `y.backward()`: `y.data == -20` and `x.grad == 46`, exactly.
    public static func sanity() -> (y: Value, x: Value) {
        let x = Value(-4.0, label: "x")
        let z = 2 * x + 2 + x
        z.label = "z"
        let q = z.relu() + z * x
        q.label = "q"
        let h = (z * z).relu()
        h.label = "h"
        let y = h + q + q * x
        y.label = "y"
        return (y, x)
    }
}
