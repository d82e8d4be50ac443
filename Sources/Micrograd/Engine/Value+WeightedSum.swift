extension Value {
    /// `bias + weights[0] * inputs[0] + weights[1] * inputs[1] + ...` as one `.weightedSum` node
    /// (a neuron's pre-activation), whose ``children`` are `[bias, w0, x0, w1, x1, ...]`.
    ///
    /// The value and every gradient are bit-identical to those of the chain of binary nodes
    /// `bias + weights[0] * inputs[0] + ...` (summed left to right, each product and each sum
    /// rounded), but the graph gets one node instead of `2n`, which makes building and walking
    /// it several times cheaper. With no weights the node's value is the bias.
    ///
    /// - Throws: `MicrogradError.lengthMismatch` unless there is one input per weight.
    public static func weightedSum(bias: Value, weights: [Value], inputs: [Value]) throws -> Value {
        guard weights.count == inputs.count else {
            throw MicrogradError.lengthMismatch(what: "inputs", expected: weights.count, given: inputs.count)
        }
        return uncheckedWeightedSum(bias: bias, weights: weights, inputs: inputs)
    }

    /// ``weightedSum(bias:weights:inputs:)`` for operands already known to match in length.
    static func uncheckedWeightedSum(bias: Value, weights: [Value], inputs: [Value]) -> Value {
        // NOTE (numerics): `total + product` with the product rounded first, in operand order,
        // exactly the chain's `sum.data + (weight.data * input.data)`. Swift does not contract
        // `a * b + c` into a fused multiply-add, so each step rounds twice, as the chain does.
        var total = bias.data
        for index in weights.indices {
            let product = weights[index].data * inputs[index].data
            total = total + product
        }
        return Value(weightedSum: total, bias: bias, weights: weights, inputs: inputs)
    }
}
