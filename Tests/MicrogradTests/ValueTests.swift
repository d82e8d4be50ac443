import Foundation
import Micrograd
import Testing

@Suite("Value: forward values and gradients")
struct ValueTests {
    @Test("karpathy's README expression, to 1e-12")
    func readmeExpression() {
        let a = Value(-4.0)
        let b = Value(2.0)
        var c = a + b
        var d = a * b + b.pow(3)
        c += c + 1
        c += 1 + c + (-a)
        d += d * 2 + (b + a).relu()
        d += 3 * d + (b - a).relu()
        let e = c - d
        let f = e.pow(2)
        var g = f / 2.0
        g += 10.0 / f
        g.backward()
        #expect(abs(g.data - 24.70408163265306) < 1e-12)
        #expect(abs(a.grad - 138.83381924198252) < 1e-12)
        #expect(abs(b.grad - 645.5772594752186) < 1e-12)
    }

    @Test("karpathy's sanity check, exactly")
    func sanityCheck() {
        let x = Value(-4.0)
        let z = 2 * x + 2 + x
        let q = z.relu() + z * x
        let h = (z * z).relu()
        let y = h + q + q * x
        y.backward()
        #expect(y.data == -20)
        #expect(x.grad == 46)
    }

    @Test("operand order is kept: a - b and a / b")
    func operandOrder() {
        let a = Value(5), b = Value(3)
        let d = a - b
        #expect(d.data == 2)
        #expect(d.children[0] === a && d.children[1] === b)
        d.backward()
        #expect(a.grad == 1 && b.grad == -1)
        let q = a / b
        a.grad = 0; b.grad = 0
        q.backward()
        #expect(abs(a.grad - 1.0 / 3.0) < 1e-15)
        #expect(abs(b.grad - (-5.0 / 9.0)) < 1e-15)
        #expect((10.0 / Value(4)).data == 2.5)
        #expect((1 - Value(4)).data == -3)
    }

    @Test("a Double operand is held by the op: one node, the constant in place, same numbers as a constant leaf")
    func constantOperands() {
        // Each form against the same op over a constant leaf (micrograd's graph): the values and
        // gradients must be bit-identical, at a point where every rounding matters.
        let x0 = 0.7310585786300049, c = -1.3
        let forms: [(name: String, op: Op, withConstant: (Value) -> Value, withLeaf: (Value) -> Value)] = [
            ("x + c", .addConstant(c), { $0 + c }, { $0 + Value(c) }),
            ("c + x", .addConstant(c), { c + $0 }, { Value(c) + $0 }),
            ("x - c", .subtractConstant(c), { $0 - c }, { $0 - Value(c) }),
            ("c - x", .subtractFromConstant(c), { c - $0 }, { Value(c) - $0 }),
            ("x * c", .multiplyByConstant(c), { $0 * c }, { $0 * Value(c) }),
            ("c * x", .multiplyByConstant(c), { c * $0 }, { Value(c) * $0 }),
            ("x / c", .divideByConstant(c), { $0 / c }, { $0 / Value(c) }),
            ("c / x", .divideConstant(c), { c / $0 }, { Value(c) / $0 }),
        ]
        for form in forms {
            let x = Value(x0), y = Value(x0)
            // tanh on top makes the upstream gradient an inexact number.
            let held = form.withConstant(x), leafForm = form.withLeaf(y)
            #expect(held.op == form.op, "\(form.name)")
            #expect(held.children.count == 1 && held.children[0] === x, "\(form.name)")
            #expect(held.data == leafForm.data, "\(form.name)")
            held.tanh().backward()
            leafForm.tanh().backward()
            #expect(x.grad == y.grad, "\(form.name): \(x.grad) vs \(y.grad)")
            #expect(held.op.constantOperand.map { $0.op } == leafForm.op, "\(form.name)")
        }
        // A constant on the left keeps its side: 1 - x is not x - 1.
        #expect((1 - Value(4)).data == -3 && (Value(4) - 1).data == 3)
        #expect((8 / Value(4)).data == 2 && (Value(4) / 8).data == 0.5)
    }

    @Test("reused nodes accumulate: x + x, x * x, a reused interior node")
    func reuse() {
        let x = Value(3)
        (x + x).backward()
        #expect(x.grad == 2)
        x.grad = 0
        (x * x).backward()
        #expect(x.grad == 6)
        let a = Value(1)
        let b = a + 4
        let c = b * 3 + b * 5
        c.backward()
        #expect(a.grad == 8)
        #expect(b.grad == 8)
        #expect(c.data == 40)
    }

    @Test("leaf grads accumulate across backward calls; zeroGrad clears them")
    func accumulation() {
        let a = Value(2), b = Value(3)
        let y = (a * b).tanh() * a
        y.backward()
        let first = a.grad
        y.backward()
        #expect(abs(a.grad - 2 * first) < 1e-15)
        y.zeroGrad()
        #expect(a.grad == 0 && b.grad == 0 && y.grad == 0)
    }

    @Test("a chain of 1,000,000 nodes runs forward, backward and is freed without stack overflow")
    func deepChain() {
        let x = Value(0.5)
        var y = x
        for _ in 0..<1_000_000 {
            y = y + 1e-6
        }
        y.backward()
        #expect(x.grad == 1)
        #expect(abs(y.data - 1.5) < 1e-9)
    }

    @Test("sigmoid and tanh are finite with correct gradients at ±1000")
    func stableActivations() {
        for input in [-1000.0, 1000.0] {
            let x = Value(input)
            let s = x.sigmoid()
            s.backward()
            #expect(s.data == (input > 0 ? 1 : 0))
            #expect(x.grad == 0)
            let t = Value(input)
            let th = t.tanh()
            th.backward()
            #expect(th.data == (input > 0 ? 1 : -1))
            #expect(t.grad == 0)
        }
        let x = Value(0)
        let s = x.sigmoid()
        s.backward()
        #expect(s.data == 0.5 && x.grad == 0.25)
    }

    @Test("pow with a Value exponent gives gradients to base and exponent")
    func powValue() {
        let base = Value(2), exponent = Value(3)
        let y = base.pow(exponent)
        y.backward()
        #expect(y.data == 8)
        #expect(base.grad == 12)
        #expect(abs(exponent.grad - 8 * log(2.0)) < 1e-15)
        let negative = Value(-2).pow(Value(0.5))
        #expect(negative.data.isNaN)
    }

    @Test("description in micrograd's form")
    func description() {
        let v = Value(24.70408163265306)
        #expect(v.description == "Value(data=24.70408163265306, grad=0.0)")
    }
}
