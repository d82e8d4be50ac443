import Foundation
import Micrograd
import Testing

/// MomentumSGD, Adam and AdamW against reference loops written here from PyTorch's documented
/// algorithms (torch.optim.SGD, Adam, AdamW; maximize and amsgrad off), on a few parameters for
/// several steps, with gradients from a fixed quadratic so that each step's gradient depends on
/// the parameters. Tolerance: 1e-14 relative (the reference orders some products differently).
@Suite("Optimizers: momentum, Nesterov, Adam, AdamW, cosine schedule")
struct OptimizerAlgorithmTests {
    /// The gradient of `Σ c_i (p_i - 1)² + p_0 p_1`, the test's loss, at `p`.
    static func gradient(_ p: [Double]) -> [Double] {
        let c = [0.5, 2.0, 1.5]
        var g = p.indices.map { 2 * c[$0] * (p[$0] - 1) }
        g[0] += p[1]
        g[1] += p[0]
        return g
    }

    static let start = [0.3, -1.2, 2.5]

    /// Runs `optimizer` for `steps` steps from `start`, gradients set by `gradient`.
    static func run(_ optimizer: inout some Optimizer, steps: Int, frozen: (Int, Int) -> Bool = { _, _ in false })
        throws -> [[Double]]
    {
        let parameters = start.map { Value($0) }
        var history: [[Double]] = []
        for step in 0..<steps {
            let g = gradient(parameters.map(\.data))
            for (index, parameter) in parameters.enumerated() {
                parameter.grad = g[index]
                parameter.isLearnable = !frozen(step, index)
            }
            try optimizer.update(parameters, step: step)
            history.append(parameters.map(\.data))
        }
        return history
    }

    static func close(_ a: [[Double]], _ b: [[Double]], tolerance: Double = 1e-14) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            zip(x, y).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
        }
    }

    /// torch.optim.SGD's documented step.
    static func referenceSGD(
        lr: (Int) -> Double, momentum: Double, dampening: Double, nesterov: Bool, weightDecay: Double,
        steps: Int, frozen: (Int, Int) -> Bool = { _, _ in false }
    ) -> [[Double]] {
        var p = start
        var buffers: [Double?] = [nil, nil, nil]
        var history: [[Double]] = []
        for t in 0..<steps {
            let grads = gradient(p)
            for i in p.indices where !frozen(t, i) {
                var g = grads[i]
                if weightDecay != 0 { g += weightDecay * p[i] }
                if momentum != 0 {
                    if let b = buffers[i] {
                        buffers[i] = momentum * b + (1 - dampening) * g
                    } else {
                        buffers[i] = g
                    }
                    g = nesterov ? g + momentum * buffers[i]! : buffers[i]!
                }
                p[i] -= lr(t) * g
            }
            history.append(p)
        }
        return history
    }

    /// torch.optim.Adam / AdamW's documented step (per-parameter step counts).
    static func referenceAdam(
        lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double, decoupled: Bool, steps: Int,
        frozen: (Int, Int) -> Bool = { _, _ in false }
    ) -> [[Double]] {
        var p = start
        var m = [0.0, 0, 0], v = [0.0, 0, 0], count = [0, 0, 0]
        var history: [[Double]] = []
        for step in 0..<steps {
            let grads = gradient(p)
            for i in p.indices where !frozen(step, i) {
                count[i] += 1
                let t = Double(count[i])
                var g = grads[i]
                if decoupled {
                    p[i] = p[i] * (1 - lr * weightDecay)
                } else if weightDecay != 0 {
                    g = g + weightDecay * p[i]
                }
                m[i] = betas.0 * m[i] + (1 - betas.0) * g
                v[i] = betas.1 * v[i] + (1 - betas.1) * g * g
                let mHat = m[i] / (1 - pow(betas.0, t))
                let vHat = v[i] / (1 - pow(betas.1, t))
                p[i] = p[i] - lr * mHat / (vHat.squareRoot() + eps)
            }
            history.append(p)
        }
        return history
    }

    @Test("momentum, dampening, Nesterov and weight decay follow torch.optim.SGD for 8 steps")
    func momentumSGD() throws {
        let settings: [(Double, Double, Bool, Double)] = [
            (0.9, 0, false, 0), (0.9, 0.1, false, 0), (0.8, 0, true, 0), (0.9, 0, true, 0.01), (0, 0, false, 0.05),
        ]
        for (momentum, dampening, nesterov, decay) in settings {
            var optimizer = MomentumSGD(
                learningRate: 0.05, momentum: momentum, dampening: dampening, nesterov: nesterov, weightDecay: decay)
            let ours = try Self.run(&optimizer, steps: 8)
            let reference = Self.referenceSGD(
                lr: { _ in 0.05 }, momentum: momentum, dampening: dampening, nesterov: nesterov,
                weightDecay: decay, steps: 8)
            #expect(Self.close(ours, reference), "\(momentum) \(dampening) \(nesterov) \(decay)")
            #expect(optimizer.updateCount == 8)
        }
    }

    @Test("MomentumSGD with momentum 0 and no decay equals plain SGD bit for bit")
    func plainEquivalence() throws {
        var momentum = MomentumSGD(schedule: .linearDecay(steps: 10))
        var plain = SGD(schedule: .linearDecay(steps: 10))
        #expect(try Self.run(&momentum, steps: 6) == Self.run(&plain, steps: 6))
    }

    @Test("Adam and AdamW follow torch.optim's documented algorithm for 10 steps")
    func adam() throws {
        var adam = Adam(learningRate: 0.1)
        #expect(Self.close(try Self.run(&adam, steps: 10), Self.referenceAdam(
            lr: 0.1, betas: (0.9, 0.999), eps: 1e-8, weightDecay: 0, decoupled: false, steps: 10)))
        var coupled = Adam(learningRate: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1)
        #expect(Self.close(try Self.run(&coupled, steps: 10), Self.referenceAdam(
            lr: 0.1, betas: (0.8, 0.99), eps: 1e-6, weightDecay: 0.1, decoupled: false, steps: 10)))
        var adamW = AdamW(learningRate: 0.1)
        #expect(Self.close(try Self.run(&adamW, steps: 10), Self.referenceAdam(
            lr: 0.1, betas: (0.9, 0.999), eps: 1e-8, weightDecay: 0.01, decoupled: true, steps: 10)))
        #expect(adamW.state.stepCounts == [10, 10, 10])
    }

    @Test("PyTorch's defaults; Adam's first step moves each parameter by lr · g / (|g| + eps)")
    func defaultsAndFirstStep() throws {
        let adam = Adam(), adamW = AdamW()
        #expect(adam.schedule.rate(at: 0) == 1e-3 && adamW.schedule.rate(at: 5) == 1e-3)
        #expect(adam.beta1 == 0.9 && adam.beta2 == 0.999 && adam.epsilon == 1e-8 && adam.weightDecay == 0)
        #expect(adamW.weightDecay == 0.01 && adamW.beta1 == 0.9 && adamW.beta2 == 0.999 && adamW.epsilon == 1e-8)
        var optimizer = Adam(learningRate: 0.01)
        let p = Value(2.0)
        p.grad = -3
        try optimizer.update([p], step: 0)
        // m̂ = g and v̂ = g², so the step is lr · g / (|g| + eps), about lr · sign(g).
        #expect(abs(p.data - (2.0 + 0.01 * 3 / (3 + 1e-8))) < 1e-15)
    }

    @Test("frozen parameters stay unchanged and their state is not updated")
    func frozen() throws {
        // Parameter 1 is frozen for steps 0-2, parameter 2 at steps 4 and 5.
        let frozen: (Int, Int) -> Bool = { step, index in
            (index == 1 && step < 3) || (index == 2 && (4...5).contains(step))
        }
        var adam = Adam(learningRate: 0.1)
        let ours = try Self.run(&adam, steps: 8, frozen: frozen)
        #expect(ours[2][1] == Self.start[1])
        #expect(ours[5][2] == ours[3][2])
        #expect(Self.close(ours, Self.referenceAdam(
            lr: 0.1, betas: (0.9, 0.999), eps: 1e-8, weightDecay: 0, decoupled: false, steps: 8, frozen: frozen)))
        #expect(adam.state.stepCounts == [8, 5, 6])
        var adamW = AdamW(learningRate: 0.1, weightDecay: 0.5)
        #expect(Self.close(try Self.run(&adamW, steps: 8, frozen: frozen), Self.referenceAdam(
            lr: 0.1, betas: (0.9, 0.999), eps: 1e-8, weightDecay: 0.5, decoupled: true, steps: 8, frozen: frozen)))
        var momentum = MomentumSGD(learningRate: 0.05, momentum: 0.9, weightDecay: 0.1)
        let withMomentum = try Self.run(&momentum, steps: 8, frozen: frozen)
        #expect(withMomentum[2][1] == Self.start[1])
        #expect(Self.close(withMomentum, Self.referenceSGD(
            lr: { _ in 0.05 }, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0.1, steps: 8,
            frozen: frozen)))
    }

    @Test("cosine annealing: PyTorch's CosineAnnealingLR closed form, also driving an optimiser")
    func cosine() throws {
        let schedule = LearningRateSchedule.cosine(initial: 0.1, steps: 10, minimum: 0.01)
        #expect(schedule.rate(at: 0) == 0.1)
        #expect(abs(schedule.rate(at: 5) - 0.055) < 1e-15)
        #expect(abs(schedule.rate(at: 10) - 0.01) < 1e-15)
        for k in 0...20 {
            let expected = 0.01 + (0.1 - 0.01) * (1 + cos(Double.pi * Double(k) / 10)) / 2
            #expect(abs(schedule.rate(at: k) - expected) < 1e-15)
        }
        var optimizer = MomentumSGD(schedule: schedule, momentum: 0.5)
        let reference = Self.referenceSGD(
            lr: { schedule.rate(at: $0) }, momentum: 0.5, dampening: 0, nesterov: false, weightDecay: 0, steps: 10)
        #expect(Self.close(try Self.run(&optimizer, steps: 10), reference))
        #expect(throws: MicrogradError.self) {
            try SGD(schedule: .cosine(initial: 0.1, steps: 0)).update([Value(1)], step: 0)
        }
    }

    @Test("bad hyperparameters and mismatched parameters throw, changing nothing")
    func errors() throws {
        let p = Value(1.0)
        p.grad = 1
        let cases: [any Optimizer] = [
            MomentumSGD(learningRate: 0.1, momentum: -0.1), MomentumSGD(learningRate: 0.1, nesterov: true),
            MomentumSGD(learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true),
            MomentumSGD(learningRate: 0.1, weightDecay: .nan), MomentumSGD(learningRate: .infinity),
            Adam(beta1: 1), Adam(beta2: -0.1), Adam(epsilon: -1), Adam(weightDecay: -1), AdamW(learningRate: .nan),
        ]
        for optimizer in cases {
            var copy = optimizer
            let description = String(describing: optimizer)
            var threw = false
            do { try copy.update([p], step: 0) } catch is MicrogradError { threw = true }
            #expect(threw, "\(description)")
        }
        #expect(p.data == 1)
        var adam = Adam()
        try adam.update([p, Value(2)], step: 0)
        let after = p.data
        #expect(throws: MicrogradError.self) { try adam.update([p], step: 1) }
        #expect(p.data == after)
    }

    @Test("a trainer takes any optimiser and keeps its state between steps")
    func trainerOptimizer() throws {
        let (trainer, dataset) = XORProblem.makeTrainer(seed: 1)
        trainer.optimizer = MomentumSGD(learningRate: 0.05, momentum: 0.9)
        let reports = try trainer.fit(dataset, steps: 150)
        #expect(reports.last!.loss < reports[0].loss)
        #expect((trainer.optimizer as? MomentumSGD)?.updateCount == 150)
    }
}
