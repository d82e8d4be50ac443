/// An optimiser: updates parameters from their gradients, one step at a time.
///
/// `SGD` (plain), `MomentumSGD`, `Adam` and `AdamW` conform; a `Trainer` takes any of them.
/// Each step's learning rate is `schedule.rate(at: step)`, the step number given by whoever
/// drives the optimiser (a `Trainer` passes its `stepCount`). Optimisers with per-parameter
/// state (momentum buffers, moment estimates and each parameter's own step count) keep it by
/// position in `parameters`, so every update must be given the same parameters in the same
/// order (a model's `parameters` are); a different count throws.
///
/// Parameters whose `isLearnable` is false (frozen) are left unchanged, and their state is not
/// touched, as PyTorch skips parameters without a gradient.
public protocol Optimizer: Sendable {
    /// The learning rate as a function of the step number.
    var schedule: LearningRateSchedule { get }

    /// Applies one update with the learning rate of step `step` and returns that rate.
    ///
    /// - Throws: `MicrogradError.nonFiniteInput` for a non-finite rate, `.invalidArgument` for
    ///   bad hyperparameters or parameters that do not match the state; nothing is changed then.
    @discardableResult
    mutating func update(_ parameters: [Value], step: Int) throws -> Double

    /// The optimiser's per-parameter state as named arrays of numbers (empty when it has
    /// none), for a `Checkpoint`: `momentum.buffer`, `momentum.present` (1 where a buffer
    /// exists) and `momentum.updates`; `adam.m`, `adam.v` and `adam.t` (update counts).
    var savedState: [String: [Double]] { get }

    /// Replaces the optimiser's state with `state` as ``savedState`` gives it (an empty
    /// dictionary: a fresh optimiser's state).
    ///
    /// - Throws: `MicrogradError.invalidArgument` when an array is missing, has a length other
    ///   than `parameterCount`, or holds a value that cannot be state (a negative count).
    mutating func restoreState(_ state: [String: [Double]], parameterCount: Int) throws
}

extension Optimizer {
    /// No state: plain SGD.
    public var savedState: [String: [Double]] { [:] }

    /// Accepts only an empty state (an optimiser without state).
    public mutating func restoreState(_ state: [String: [Double]], parameterCount: Int) throws {
        guard state.isEmpty else {
            throw MicrogradError.invalidArgument(
                "\(type(of: self)) keeps no state, but the checkpoint holds \(state.keys.sorted())")
        }
    }
}

extension SGD: Optimizer {}

/// The array `key` of a saved optimiser state, checked to hold `count` finite numbers.
func stateArray(_ state: [String: [Double]], _ key: String, count: Int) throws -> [Double] {
    guard let values = state[key] else {
        throw MicrogradError.invalidArgument("the optimiser state has no \"\(key)\" array")
    }
    guard values.count == count else {
        throw MicrogradError.lengthMismatch(what: "optimiser state \"\(key)\"", expected: count, given: values.count)
    }
    guard values.allSatisfy(\.isFinite) else {
        throw MicrogradError.invalidArgument("the optimiser state \"\(key)\" holds a non-finite number")
    }
    return values
}

/// `values` as whole, non-negative counts.
func stateCounts(_ values: [Double], _ key: String) throws -> [Int] {
    try values.map { value in
        guard value >= 0, value == value.rounded(), value < Double(Int32.max) else {
            throw MicrogradError.invalidArgument("the optimiser state \"\(key)\" holds \(value), not a count")
        }
        return Int(value)
    }
}

extension LearningRateSchedule {
    /// The rate at `step`, or a thrown `MicrogradError.nonFiniteInput` when it is not finite.
    func checkedRate(at step: Int) throws -> Double {
        let rate = rate(at: step)
        guard rate.isFinite else { throw MicrogradError.nonFiniteInput("learning rate at step \(step)") }
        return rate
    }
}

/// Checks one hyperparameter of an optimiser: finite and within `range`.
func checkHyperparameter(_ name: String, _ value: Double, in range: Range<Double>) throws {
    guard value.isFinite, range.contains(value) else {
        throw MicrogradError.invalidArgument("\(name) must be a finite number in \(range), got \(value)")
    }
}

/// Checks that per-parameter state made for `stateCount` parameters (0: none yet) fits
/// `parameterCount` parameters.
func checkStateCount(_ stateCount: Int, parameters parameterCount: Int, optimizer: String) throws {
    guard stateCount == 0 || stateCount == parameterCount else {
        throw MicrogradError.invalidArgument(
            "\(optimizer) holds state for \(stateCount) parameters but was given \(parameterCount); "
                + "use a fresh optimiser for other parameters")
    }
}
