extension MLP {
    /// Divides every weight (not the biases) by the square root of its layer's input count, so
    /// the seeded uniform [-1, 1] weights become uniform in `[-1/√fanIn, 1/√fanIn]`: the range of
    /// PyTorch's default `nn.Linear` initialisation, which keeps each layer's pre-activations
    /// about as large as its inputs however wide the layer is.
    ///
    /// Call it once, before training; the weights' order (``parameters``) is unchanged.
    public func scaleWeightsByFanIn() {
        var offset = 0
        for layer in layers {
            let width = layer.inputCount
            let scale = 1 / Double(width).squareRoot()
            for _ in 0..<layer.outputCount {
                for index in offset..<(offset + width) {
                    storage.baseAddress[index] *= scale
                }
                offset += width + 1
            }
        }
    }
}
