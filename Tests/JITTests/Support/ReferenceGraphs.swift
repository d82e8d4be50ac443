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
