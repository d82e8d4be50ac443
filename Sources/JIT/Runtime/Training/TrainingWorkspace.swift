import Foundation
import Micrograd

/// The buffers a compiled training step works in besides the parameters: gradients, the
/// learnable mask, padded transposed weights, and the work buffer of every row (activations,
/// adjoints, loss terms: see `TrainingLayout`; grown on demand, 64-byte aligned).
///
/// NOTE (lifetime): raw allocations, owned here and freed in `deinit`; the compiled code
/// receives their addresses only for the duration of a call.
final class TrainingWorkspace {
    let parameterCount: Int
    let gradients: UnsafeMutablePointer<Double>
    let mask: UnsafeMutablePointer<Double>
    let transposed: UnsafeMutablePointer<Double>
    private(set) var work: UnsafeMutablePointer<Double>
    private var workCapacity: Int
    /// `[loss, correct]` of the last call.
    let result: UnsafeMutablePointer<Double>
    /// The optimiser's per-parameter state (see `CompiledUpdate`), three buffers of
    /// `parameterCount` doubles (unused ones stay 0).
    let state: [UnsafeMutablePointer<Double>]
    /// Adam's `[T, pow(beta1, T), pow(beta2, T), all]` for the next step (see `TrainingEmitter`).
    let common: UnsafeMutablePointer<Double>

    init(parameterCount: Int, transposedCount: Int) {
        self.parameterCount = parameterCount
        let size = max(parameterCount, 1)
        gradients = .allocate(capacity: size)
        gradients.initialize(repeating: 0, count: size)
        mask = .allocate(capacity: size)
        mask.initialize(repeating: 1, count: size)
        // NOTE: the padding lanes of the transposed weights must be 0: allocated once, zeroed.
        transposed = .allocate(capacity: max(transposedCount, 1))
        transposed.initialize(repeating: 0, count: max(transposedCount, 1))
        workCapacity = 8
        work = Self.allocateAligned(8)
        result = .allocate(capacity: 2)
        result.initialize(repeating: 0, count: 2)
        common = .allocate(capacity: 4)
        common.initialize(repeating: 0, count: 4)
        state = (0..<3).map { _ in
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: size)
            buffer.initialize(repeating: 0, count: size)
            return buffer
        }
    }

    deinit {
        for buffer in [gradients, mask, transposed, result, common] + state {
            buffer.deallocate()
        }
        UnsafeMutableRawPointer(work).deallocate()
    }

    /// Makes room for `count` doubles of work (contents are scratch, not preserved).
    func reserveWork(_ count: Int) {
        guard count > workCapacity else { return }
        UnsafeMutableRawPointer(work).deallocate()
        work = Self.allocateAligned(count)
        workCapacity = count
    }

    /// `count` zeroed doubles at a 64-byte boundary (a cache line; rows of whole vectors then
    /// start on vector boundaries).
    private static func allocateAligned(_ count: Int) -> UnsafeMutablePointer<Double> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Double>.stride, alignment: 64)
        return raw.initializeMemory(as: Double.self, repeating: 0, count: count)
    }

    /// Sets the mask from each parameter's `isLearnable` (1 learnable, 0 frozen).
    func updateMask(from parameters: [Value]) {
        parameters.withUnsafeBufferPointer { values in
            for index in values.indices { mask[index] = values[index].isLearnable ? 1 : 0 }
        }
    }

    /// Sets Adam's `[T, pow(beta1, T), pow(beta2, T), all]` for the next step: `T` is one more
    /// than the update count of the learnable parameters when they all have the same (`all` =
    /// 1), else `all` = 0 and the step calls libm's `pow` per parameter.
    ///
    /// NOTE (performance): the scan runs at every Adam step. Counting the differing parameters
    /// with both loads unconditional lets it vectorise: for digits' 2,410 parameters it took
    /// 2.4 us with a branch per parameter, 0.75 us so (2-core Xeon, AVX-512).
    func prepareCommonCount(beta1: Double, beta2: Double) {
        let counts = state[2], mask = mask, parameterCount = parameterCount
        let first = (0..<parameterCount).first { mask[$0] != 0 }
        var differing = 0
        if let first {
            let count = counts[first]
            for index in (first + 1)..<parameterCount {
                let learnable = mask[index] != 0 ? 1 : 0, other = counts[index] != count ? 1 : 0
                differing &+= learnable & other
            }
        }
        let next = (first.map { counts[$0] } ?? 0) + 1
        common[0] = next
        common[1] = Foundation.pow(beta1, next)
        common[2] = Foundation.pow(beta2, next)
        common[3] = differing == 0 ? 1 : 0
    }

    /// Sets the state buffers from an optimiser's saved state (`Optimizer.savedState`): the
    /// array named `keys[i]` goes to buffer `i`; an empty state zeroes them.
    ///
    /// - Throws: `MicrogradError.invalidArgument` when an array is missing or holds state for
    ///   another number of parameters; the buffers are unchanged then.
    func loadState(_ saved: [String: [Double]], keys: [String]) throws {
        let arrays: [[Double]] = try saved.isEmpty ? [] : keys.map { key in
            guard let values = saved[key] else {
                throw MicrogradError.invalidArgument("the optimiser state has no \"\(key)\" array")
            }
            guard values.count == parameterCount else {
                throw MicrogradError.invalidArgument(
                    "the optimiser holds state for \(values.count) parameters, the model has \(parameterCount)")
            }
            return values
        }
        for buffer in state { buffer.update(repeating: 0, count: Swift.max(parameterCount, 1)) }
        for (buffer, values) in zip(state, arrays) {
            for (index, value) in values.enumerated() { buffer[index] = value }
        }
    }
}
