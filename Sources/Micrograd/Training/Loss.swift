/// Loss functions and regularisation over graph values: each returns one `Value` to call
/// `backward()` on.
///
/// Means are taken as micrograd takes them: `sum * (1 / n)`, the sum added left to right.
/// NOTE: `sum * (1 / n)` and `sum / n` can differ in the last bit; the former reproduces the
/// two-moons fixture's logged losses.
public enum Loss {
    /// The SVM max-margin (hinge) loss `mean(relu(1 - y · score))`, for targets -1 and +1.
    public static func hinge(scores: [Value], targets: [Double]) throws -> Value {
        try checkShape(scores, targets)
        var terms: [Value] = []
        terms.reserveCapacity(scores.count)
        for (score, target) in zip(scores, targets) {
            // NOTE: written as micrograd does, `relu(score · (-y) + 1)`: for y = ±1 the product is
            // exact and `1 - a` equals `-a + 1`, so this is `relu(1 - y · score)` bit for bit.
            terms.append((score * -target + 1).relu())
        }
        return mean(terms)
    }

    /// The mean squared error `mean((prediction - target)²)`.
    public static func meanSquaredError(predictions: [Value], targets: [Double]) throws -> Value {
        try checkShape(predictions, targets)
        return mean(zip(predictions, targets).map { prediction, target in (prediction - target).pow(2) })
    }

    /// Binary cross-entropy from logits, `mean(softplus(z) - t · z)`, for targets in [0, 1].
    ///
    /// Equal to `-[t log σ(z) + (1 - t) log(1 - σ(z))]`, but never takes the log of a
    /// probability that has rounded to 0 or 1.
    ///
    /// NOTE: softplus(z) = log(1 + exp(z)) overflows for z > 709. It is built as
    /// `z + log(1 + exp(-z))` when z ≥ 0 and `log(1 + exp(z))` otherwise (the branch is chosen
    /// from the forward value; both are exact forms, so the gradient σ(z) - t is right on both
    /// sides), so `exp` only ever sees a non-positive argument. The price is `log(1 + e)` for
    /// e < 1e-16 rounding to 0, an absolute error below 1e-16.
    public static func binaryCrossEntropy(logits: [Value], targets: [Double]) throws -> Value {
        try checkShape(logits, targets)
        return mean(zip(logits, targets).map { z, t in softplus(z) - z * t })
    }

    /// `log(1 + exp(z))`, built so that `exp` never overflows (see ``binaryCrossEntropy(logits:targets:)``).
    public static func softplus(_ z: Value) -> Value {
        if z.data >= 0 {
            return z + ((-z).exp() + 1).log()
        }
        return (z.exp() + 1).log()
    }

    /// L2 regularisation `alpha · Σ p²` (micrograd's `alpha * sum(p*p for p in parameters)`).
    public static func l2(_ parameters: [Value], alpha: Double) -> Value {
        var squares: [Value] = []
        squares.reserveCapacity(parameters.count)
        for parameter in parameters {
            squares.append(parameter * parameter)
        }
        return squares.sum() * alpha
    }

    /// `sum * (1 / n)`, the sum added left to right.
    static func mean(_ terms: [Value]) -> Value {
        terms.sum() * (1.0 / Double(terms.count))
    }

    private static func checkShape(_ values: [Value], _ targets: [Double]) throws {
        guard !values.isEmpty else { throw MicrogradError.emptyBatch }
        guard targets.count == values.count else {
            throw MicrogradError.lengthMismatch(what: "targets", expected: values.count, given: targets.count)
        }
        if let index = targets.firstIndex(where: { !$0.isFinite }) {
            throw MicrogradError.nonFiniteInput("target \(index)")
        }
    }
}
