import Micrograd

extension TrainingEmitter {
    /// A row's softmax cross-entropy term and whether its prediction is correct (1 or 0), as
    /// `Loss.softmaxCrossEntropy(logits:label:)` and `Loss.predictedClass` compute them:
    /// `m` the largest output (Swift's `max()`: a later output replaces it when it is larger),
    /// `s_k = z_k - m`, `e_k = exp(s_k)`, `S = e_0 + e_1 + ...`, term `log(S) - s_label`.
    ///
    /// The outputs are few (one per class): the code is unrolled over them.
    func softmaxForward(sample: IRValue) -> (term: IRValue, correct: IRValue) {
        let parts = softmaxParts(sample: sample)
        let logarithm = emit.call(.log, parts.sum, name: "sm.log")
        var labelShifted = parts.shifted[0]
        for k in parts.shifted.indices.dropFirst() {
            labelShifted = builder.select(isLabel(parts.label, k), parts.shifted[k], labelShifted, name: "sm.sl")
        }
        let term = builder.fsub(logarithm, labelShifted, name: "sm.term")

        // The prediction: the first largest output; none when an output is NaN.
        let z = parts.outputs
        var allNumbers = builder.fcmp(.equal, z[0], z[0], name: "sm.num")
        var best = z[0], bestIndex = emit.constant(0)
        for k in z.indices.dropFirst() {
            let isNumber = builder.fcmp(.equal, z[k], z[k], name: "sm.num")
            allNumbers = builder.select(isNumber, allNumbers, isNumber, name: "sm.all")
            let larger = builder.fcmp(.greaterThan, z[k], best, name: "sm.gt")
            best = builder.select(larger, z[k], best, name: "sm.best")
            bestIndex = builder.select(larger, emit.constant(Double(k)), bestIndex, name: "sm.bi")
        }
        let hit = builder.select(isLabel(parts.label, bestIndex), emit.constant(1), emit.constant(0), name: "sm.hit")
        return (term, builder.select(allNumbers, hit, emit.constant(0), name: "sm.correct"))
    }

    /// The adjoints of a row's outputs, stored to `adjoints[k]`, as `backward()` computes them
    /// through the term's nodes (whose own adjoint is `invN`), in its order:
    /// `dL = 0 + g`; `ds_label = 0 + (-1 · g)` first (the subtraction is visited first);
    /// `dS = 0 + (1 / S) · dL`; each `de_k = 0 + dS` (through the sum's `+` nodes);
    /// `ds_k += e_k · de_k`; `dz_k = 0 + 1 · ds_k`.
    func softmaxAdjoints(sample: IRValue, into adjoints: IRValue) {
        let parts = softmaxParts(sample: sample)
        let g = inverseCount
        let dLog = fresh(g, name: "smb.dl")
        let labelFirst = fresh(builder.fmul(emit.constant(-1), g, name: "smb.nl"), name: "smb.dsl0")
        let reciprocal = builder.fdiv(emit.constant(1), parts.sum, name: "smb.inv")
        let dSum = fresh(builder.fmul(reciprocal, dLog, name: "smb.dsc"), name: "smb.ds")
        let dExp = fresh(dSum, name: "smb.de")
        for k in parts.exponentials.indices {
            let contribution = builder.fmul(parts.exponentials[k], dExp, name: "smb.c")
            let labelled = builder.fadd(labelFirst, contribution, name: "smb.dsl")
            let shiftedAdjoint = builder.select(
                isLabel(parts.label, k), labelled, fresh(contribution, name: "smb.dso"), name: "smb.dsk")
            let adjoint = fresh(builder.fmul(emit.constant(1), shiftedAdjoint, name: "smb.dzc"), name: "smb.dz")
            builder.storeDouble(adjoint, adjoints, builder.index(k), name: "smb.store")
        }
    }

    /// The row's outputs, its label (a class index held as a double), the shifted outputs,
    /// their exponentials and the exponentials' sum.
    private func softmaxParts(sample: IRValue) -> (
        outputs: [IRValue], label: IRValue, shifted: [IRValue], exponentials: [IRValue], sum: IRValue
    ) {
        let last = layout.layers.count - 1
        let outputs = (0..<layout.outputCount).map { k in
            builder.loadDouble(work, activationIndex(last, sample: sample, builder.index(k)), name: "sm.z")
        }
        let label = builder.loadDouble(targets, sample, name: "sm.label")
        var largest = outputs[0]
        for z in outputs.dropFirst() {
            largest = builder.select(builder.fcmp(.lessThan, largest, z, name: "sm.lt"), z, largest, name: "sm.max")
        }
        let shifted = outputs.map { builder.fsub($0, largest, name: "sm.s") }
        let exponentials = shifted.map { emit.call(.exp, $0, name: "sm.e") }
        var sum = exponentials[0]
        for e in exponentials.dropFirst() { sum = builder.fadd(sum, e, name: "sm.sum") }
        return (outputs, label, shifted, exponentials, sum)
    }

    /// Whether the label equals class `k`.
    private func isLabel(_ label: IRValue, _ k: Int) -> IRValue {
        isLabel(label, emit.constant(Double(k)))
    }

    private func isLabel(_ label: IRValue, _ k: IRValue) -> IRValue {
        builder.fcmp(.equal, label, k, name: "sm.is")
    }
}
