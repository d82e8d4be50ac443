/// The buffers a compiled training step works in besides the parameters: gradients, the
/// learnable mask, transposed weights, and the activations of every row (grown on demand).
///
/// NOTE (lifetime): raw allocations, owned here and freed in `deinit`; the compiled code
/// receives their addresses only for the duration of a call.
final class TrainingWorkspace {
    let parameterCount: Int
    let gradients: UnsafeMutablePointer<Double>
    let mask: UnsafeMutablePointer<Double>
    let transposed: UnsafeMutablePointer<Double>
    private(set) var activations: UnsafeMutablePointer<Double>
    private var activationCapacity: Int
    /// `[loss, correct]` of the last call.
    let result: UnsafeMutablePointer<Double>

    init(parameterCount: Int) {
        self.parameterCount = parameterCount
        let size = max(parameterCount, 1)
        gradients = .allocate(capacity: size)
        gradients.initialize(repeating: 0, count: size)
        mask = .allocate(capacity: size)
        mask.initialize(repeating: 1, count: size)
        transposed = .allocate(capacity: size)
        transposed.initialize(repeating: 0, count: size)
        activationCapacity = 1
        activations = .allocate(capacity: 1)
        activations.initialize(to: 0)
        result = .allocate(capacity: 2)
        result.initialize(repeating: 0, count: 2)
    }

    deinit {
        for buffer in [gradients, mask, transposed, activations, result] {
            buffer.deallocate()
        }
    }

    /// Makes room for `count` activations (contents are scratch, not preserved).
    func reserveActivations(_ count: Int) {
        guard count > activationCapacity else { return }
        activations.deallocate()
        activations = .allocate(capacity: count)
        activations.initialize(repeating: 0, count: count)
        activationCapacity = count
    }

    /// Sets the mask from each parameter's `isLearnable` (1 learnable, 0 frozen).
    func updateMask(from flags: some Sequence<Bool>) {
        for (index, learnable) in flags.enumerated() {
            mask[index] = learnable ? 1 : 0
        }
    }
}
