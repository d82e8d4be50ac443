import Micrograd

/// karpathy's README expression; `g.data` is 24.70408163265306.
func readmeExpression() -> (a: Value, b: Value, g: Value) {
    let a = Value(-4.0), b = Value(2.0)
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
    return (a, b, g)
}

/// karpathy's sanity-check expression; `y.data` is -20.
func sanityExpression() -> (x: Value, y: Value) {
    let x = Value(-4.0)
    let z = 2 * x + 2 + x
    let q = z.relu() + z * x
    let h = (z * z).relu()
    let y = h + q + q * x
    return (x, y)
}
