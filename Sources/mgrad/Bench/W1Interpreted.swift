import Micrograd

/// karpathy's README expression on `Value`s (33 nodes: its 6 `Double` operands are held by their ops), exactly as the README writes it.
func readmeExpression(_ a: Value, _ b: Value) -> Value {
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
    return g
}

extension BenchWorkload {
    /// W1: build + forward, backward on fresh graphs, and both per call (as w1_readme_expr.py).
    static let w1Interpreted = BenchWorkload(
        key: "w1", summary: "README expression: build+forward, backward, per call (interpreter)", defaultRepeats: 31
    ) { context in
        let repeats = context.repeats(default: 31)
        let a0 = benchOpaque(-4.0), b0 = benchOpaque(2.0)
        // Check against the README's numbers first.
        let a = Value(a0), b = Value(b0)
        let g = readmeExpression(a, b)
        g.backward()
        guard abs(g.data - 24.70408163265306) < 1e-12, abs(a.grad - 138.83381924198252) < 1e-12,
              abs(b.grad - 645.5772594752186) < 1e-12 else {
            throw MicrogradError.invalidArgument("W1 check failed: g=\(g.data) dg/da=\(a.grad) dg/db=\(b.grad)")
        }
        let nodes = Double(g.topologicalOrder().count)

        let forward: (Int) -> Double = { n in
            var sum = 0.0
            for _ in 0..<n { sum += readmeExpression(Value(a0), Value(b0)).data }
            return sum
        }
        var (stats, inner) = context.timer.measure(repeats: repeats, forward)
        context.record("W1", "interpreted build+forward", stats, inner: inner, extra: ["nodes": nodes])

        // Backward alone: build `inner` graphs untimed, then time their backward passes.
        var samples: [Double] = []
        for _ in 0...repeats {
            let graphs = (0..<inner).map { _ in readmeExpression(Value(a0), Value(b0)) }
            let t0 = BenchClock.nowNs()
            for graph in graphs { graph.backward() }
            samples.append(Double(BenchClock.nowNs() - t0) / Double(inner))
        }
        context.record("W1", "interpreted backward (fresh graphs)", BenchStats(Array(samples.dropFirst())), inner: inner)

        let both: (Int) -> Double = { n in
            var sum = 0.0
            for _ in 0..<n {
                let a = Value(a0), b = Value(b0)
                readmeExpression(a, b).backward()
                sum += a.grad
            }
            return sum
        }
        (stats, inner) = context.timer.measure(repeats: repeats, both)
        context.record("W1", "interpreted build+forward+backward", stats, inner: inner, extra: ["nodes": nodes])
    }
}
