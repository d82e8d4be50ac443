extension ExportedMLP {
    /// The header's view of the exported model: sizes, weights layout, entry points.
    func manifest(blockRows: Int?) -> ExportManifest {
        let upper = name.uppercased()
        let t = options.precision == .float32 ? "float" : "double"
        let leading = options.weights == .callerBuffer ? "const double *parameters, " : ""
        let activations = shape.layers.map(\.activation.rawValue).joined(separator: ", ")
        var summary = [
            "Model: \(shape.summary), activations \(activations).",
        ]
        summary.append(options.weights == .embedded
            ? "The \(shape.parameterCount) trained parameters are constants inside \(name).o."
            : "The parameters are passed by the caller (see the layout below; \(name).weights holds the trained ones).")
        var macros = [
            ExportManifest.Macro(suffix: "INPUTS", value: shape.inputCount, doc: "Inputs of one sample."),
            ExportManifest.Macro(suffix: "OUTPUTS", value: shape.outputCount, doc: "Outputs (scores) of one sample."),
            ExportManifest.Macro(suffix: "PARAMETERS", value: shape.parameterCount, doc: "Weights and biases of the model."),
        ]
        if let blockRows {
            macros.append(ExportManifest.Macro(
                suffix: "BATCH_BLOCK", value: blockRows,
                doc: "Rows \(name)_predict_batch computes together, vectorised across samples."))
        }
        let layout = options.weights == .callerBuffer ? weightsLayout(upper: upper) : []
        let parametersDoc = options.weights == .callerBuffer
            ? ["`parameters` holds \(upper)_PARAMETERS doubles laid out as described above."] : []
        let entries = [
            ExportManifest.Entry(
                symbol: "\(name)_predict",
                prototype: "void \(name)_predict(\(leading)const \(t) *input, \(t) *output)",
                doc: ["The model's outputs for one sample: reads \(upper)_INPUTS values from `input`,",
                      "writes \(upper)_OUTPUTS values to `output` (the buffers must not overlap)."] + parametersDoc),
            ExportManifest.Entry(
                symbol: "\(name)_predict_batch",
                prototype: "void \(name)_predict_batch(\(leading)const \(t) *inputs, \(t) *outputs, size_t rows)",
                doc: ["The outputs of `rows` samples: `inputs` holds rows * \(upper)_INPUTS values, row by row;",
                      "`outputs` receives rows * \(upper)_OUTPUTS values, row by row. Each row's outputs",
                      "equal \(name)_predict's for that row, bit for bit. Runs on the calling thread;",
                      "split the rows across threads to use several cores."] + parametersDoc),
        ]
        return ExportManifest(
            name: name, summary: summary, target: target, options: options, macros: macros, entries: entries,
            weightsLayout: layout)
    }

    /// How the caller's parameters buffer is laid out: micrograd's parameter order.
    private func weightsLayout(upper: String) -> [String] {
        var lines = [
            "Parameters buffer (\(upper)_PARAMETERS doubles, in both precisions), layer by layer, each",
            "layer neuron by neuron, each neuron its weights (one per input) then its bias:",
        ]
        for (number, layer) in shape.layers.enumerated() {
            lines.append("  layer \(number): \(layer.outputs) neurons x (\(layer.inputs) weights + bias), "
                + "offsets \(layer.offset)..<\(layer.offset + layer.outputs * (layer.inputs + 1)), \(layer.activation.rawValue)")
        }
        lines.append("This is the order of micrograd's MLP.parameters and of \(name).weights.")
        return lines
    }
}
