import Foundation

/// The learning rate as a function of the step number.
public struct LearningRateSchedule: Sendable {
    private let rate: @Sendable (Int) -> Double

    /// A schedule given by a closure of the step (from 0).
    public static func custom(_ rate: @escaping @Sendable (Int) -> Double) -> LearningRateSchedule {
        LearningRateSchedule(rate: rate)
    }

    /// The same rate at every step.
    public static func constant(_ rate: Double) -> LearningRateSchedule {
        LearningRateSchedule { _ in rate }
    }

    /// A linear decay `initial - decay · k / steps` (karpathy's `1.0 - 0.9*k/100` is
    /// `linearDecay(initial: 1.0, decay: 0.9, steps: 100)`).
    ///
    /// NOTE: evaluated in Python's order, `(decay · k) / steps`, so rates match the demo bit for bit.
    public static func linearDecay(initial: Double = 1.0, decay: Double = 0.9, steps: Int) -> LearningRateSchedule {
        let total = Double(steps)
        return LearningRateSchedule { k in initial - decay * Double(k) / total }
    }

    /// Cosine annealing from `initial` down to `minimum` over `steps` steps, PyTorch's
    /// `CosineAnnealingLR` (`T_max = steps`, `eta_min = minimum`) in its closed form:
    /// `minimum + (initial - minimum) · (1 + cos(π · k / steps)) / 2`.
    ///
    /// NOTE: as PyTorch's, the rate past `steps` follows the same cosine back up (it reaches
    /// `initial` again at `2 · steps`); use `.custom` to hold it at the minimum instead. With
    /// `steps` ≤ 0 the rates are not finite, so an update throws.
    public static func cosine(initial: Double, steps: Int, minimum: Double = 0) -> LearningRateSchedule {
        let total = Double(steps)
        return LearningRateSchedule { k in
            guard total > 0 else { return .nan }
            return minimum + (initial - minimum) * (1 + cos(Double.pi * Double(k) / total)) / 2
        }
    }
    /// The learning rate at step `step`.
    public func rate(at step: Int) -> Double {
        rate(step)
    }
}
