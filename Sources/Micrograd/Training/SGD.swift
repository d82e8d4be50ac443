/// Stochastic gradient descent: `p.data -= rate · p.grad` for every learnable parameter.
///
/// Parameters whose `isLearnable` is false (frozen) are left unchanged. It has no state (and
/// the compiled trainer supports it); `MomentumSGD` adds momentum and weight decay.
public struct SGD: Sendable {
    /// The learning rate of each step.
    public var schedule: LearningRateSchedule

    /// Creates an optimiser with a learning-rate schedule.
    public init(schedule: LearningRateSchedule) {
        self.schedule = schedule
    }

    /// Creates an optimiser with a constant learning rate.
    public init(learningRate: Double) {
        self.schedule = .constant(learningRate)
    }

    /// Applies one update with the rate of step `step` and returns that rate.
    ///
    /// - Throws: `MicrogradError.nonFiniteInput` if the rate is not finite (nothing is changed).
    @discardableResult
    public func update(_ parameters: [Value], step: Int) throws -> Double {
        let rate = schedule.rate(at: step)
        guard rate.isFinite else { throw MicrogradError.nonFiniteInput("learning rate at step \(step)") }
        for parameter in parameters where parameter.isLearnable {
            parameter.data -= rate * parameter.grad
        }
        return rate
    }
}
