import Foundation
import JIT
import Micrograd
import Testing

/// The register-tiled compiled step on every vector width it is generated for (SSE: 2 doubles,
/// AVX2: 4, the host: 8 with AVX-512), on layer widths that are not whole vectors and batch
/// sizes that are not whole row tiles: losses, gradients and parameters equal the
/// interpreter's `Trainer` bit for bit, whatever the number of threads.
@Suite("Compiled training: vector widths and threads")
struct CompiledTrainingVectorTests {
    /// The processors to generate for that this machine can run (the host always).
    static func processors() throws -> [JITOptions.Processor] {
        let host = try TargetDescription.host()
        guard host.triple.hasPrefix("x86_64") else { return [.host] }
        var processors: [JITOptions.Processor] = [.cpu("x86-64-v2")]
        if host.vectorBits >= 256 && host.hasFMA { processors.append(.cpu("haswell")) }
        processors.append(.host)
        return processors
    }

    /// A model, its objective and L2, and its data of `rows` rows.
    struct Case {
        let inputs: Int, layers: [Int], activations: [Activation]
        let objective: Objective, alpha: Double
        var frozen: Set<Int> = []

        func data(rows: Int) -> (rows: [[Double]], targets: [Double]) {
            var random = RandomSource(seed: UInt64(rows * 31 + inputs))
            let x = (0..<rows).map { _ in (0..<inputs).map { _ in random.nextUniform(-2, 2) } }
            let y: [Double] = (0..<rows).map { r in
                if case .softmaxCrossEntropy = objective { return Double(r % layers.last!) }
                return r % 3 == 0 ? 1 : -1
            }
            return (x, y)
        }
    }

    static let cases = [
        Case(inputs: 3, layers: [5, 7, 1], activations: [.tanh, .relu, .linear], objective: .hinge, alpha: 0,
             frozen: [2, 11]),
        Case(inputs: 9, layers: [17, 3], activations: [.relu, .linear], objective: .softmaxCrossEntropy, alpha: 1e-3),
        Case(inputs: 2, layers: [16, 16, 1], activations: [.relu, .sigmoid, .linear], objective: .hinge, alpha: 1e-4),
    ]

    /// Runs `steps` SGD steps with the interpreter and the compiled trainer on copies of the
    /// model; expects every loss, gradient and parameter to have the same bits.
    static func expectBitIdentical(
        _ test: Case, rows: Int, options: JITOptions, threads: [Int?] = [nil], steps: Int = 3
    ) throws {
        let (x, y) = test.data(rows: rows)
        func model() -> MLP {
            let mlp = MLP(inputs: test.inputs, layers: test.layers, activations: test.activations, seed: 5)
            for index in test.frozen { mlp.parameters[index].isLearnable = false }
            return mlp
        }
        let interpreted = model()
        let optimizer = SGD(schedule: .linearDecay(initial: 0.3, decay: 0.5, steps: steps))
        let reference = Trainer(model: interpreted, objective: test.objective, regularization: test.alpha,
                                optimizer: optimizer)
        let compiled = threads.map { _ in model() }
        let trainers = try zip(compiled, threads).map { mlp, count in
            let trainer = try CompiledTrainer(model: mlp, objective: test.objective, regularization: test.alpha,
                                              optimizer: optimizer, options: options)
            trainer.threads = count
            return trainer
        }
        let context = "\(test.layers) \(test.objective) \(options.processor) rows \(rows)"
        for step in 0..<steps {
            let expected = try reference.fitBatch(rows: x, targets: y)
            for (trainer, count) in zip(trainers, threads) {
                let got = try trainer.fitBatch(rows: x, targets: y)
                let label = "\(context) threads \(String(describing: count)) step \(step)"
                #expect(got.loss.bitPattern == expected.loss.bitPattern, "\(label): loss \(got.loss) vs \(expected.loss)")
                #expect(got.accuracy == expected.accuracy, "\(label): accuracy")
                let gradients = interpreted.parameters.map(\.grad)
                let wrongGradients = zip(trainer.gradient, gradients).filter { $0.bitPattern != $1.bitPattern }
                #expect(wrongGradients.isEmpty, "\(label): \(wrongGradients.count) gradients differ")
            }
            for (mlp, count) in zip(compiled, threads) {
                let differing = zip(mlp.storage.values, interpreted.storage.values).filter { $0.bitPattern != $1.bitPattern }
                let label = "\(context) threads \(String(describing: count)) step \(step)"
                #expect(differing.isEmpty, "\(label): \(differing.count) parameters differ")
            }
        }
        for index in test.frozen {
            #expect(compiled[0].storage.values[index] == model().storage.values[index], "frozen \(index) moved")
        }
    }

    @Test("exact numerics: bit for bit the interpreter on SSE, AVX2 and the host, odd widths, 1-33 rows")
    func everyVectorWidth() throws {
        for processor in try Self.processors() {
            for test in Self.cases {
                for rows in [1, 2, 7, 33] {
                    try Self.expectBitIdentical(test, rows: rows, options: JITOptions(processor: processor))
                }
            }
        }
    }

    @Test("threads: 1, 2 and 3 threads give the interpreter's bits on a batch large enough to split")
    func threadCountInvariance() throws {
        // 512 rows of MLP(8,[24,3]): 512 · (8·24·2 + 24·3·3) ≈ 307,000 multiply-adds, above the
        // 2^18 from which a step uses several threads.
        let test = Case(inputs: 8, layers: [24, 3], activations: [.tanh, .linear], objective: .softmaxCrossEntropy,
                        alpha: 1e-3, frozen: [4])
        try Self.expectBitIdentical(test, rows: 512, options: .default, threads: [1, 2, 3], steps: 2)
    }

    @Test("threads: a wide network's step has the same bits on 1 and 2 threads")
    func wideThreadInvariance() throws {
        var random = RandomSource(seed: 3)
        let rows = (0..<300).map { _ in (0..<50).map { _ in random.nextUniform(0, 1) } }
        let labels = (0..<300).map { Double($0 % 10) }
        var results: [[UInt64]] = []
        for threads in [1, 2] {
            let model = MLP(inputs: 50, layers: [70, 30, 10], activations: [.relu, .tanh, .linear], seed: 9)
            let trainer = try CompiledTrainer(model: model, objective: .softmaxCrossEntropy,
                                              optimizer: Adam(learningRate: 1e-3))
            trainer.threads = threads
            var bits: [UInt64] = []
            for _ in 0..<3 { bits.append(try trainer.fitBatch(rows: rows, targets: labels).loss.bitPattern) }
            results.append(bits + model.storage.values.map(\.bitPattern) + trainer.gradient.map(\.bitPattern))
        }
        #expect(results[0] == results[1])
    }
}
