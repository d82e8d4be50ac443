import Foundation
@testable import JIT
import Micrograd
import Testing

/// The GPU training step as text and its errors, without a GPU: four `.entry` kernels for sm_80,
/// nothing undefined, no calls, no fused multiply-adds; `jit(trainer, on: .cuda())` without a
/// driver throws `deviceUnavailable`.
@Suite("GPU training kernels as PTX")
struct GPUTrainingPTXTests {
    static func trainers() throws -> [(name: String, trainer: Trainer)] {
        let moons = Trainer.karpathyMoons(model: try MoonsFixture.bundled().makeModel())
        let digits = Trainer(model: MLP(inputs: 784, layers: [128, 64, 10], seed: 3), objective: .softmaxCrossEntropy,
                             regularization: 1e-4, optimizer: Adam(learningRate: 1e-3))
        let tanh = Trainer(model: MLP(inputs: 3, layers: [4, 2], activations: [.tanh, .linear], seed: 2),
                           objective: .meanSquaredError(threshold: 0), regularization: 0,
                           optimizer: MomentumSGD(learningRate: 0.1, momentum: 0.9))
        return [("moons", moons), ("digits", digits), ("tanh", tanh)]
    }

    @Test("four kernels, sm_80, nothing undefined, no fma; calls only of the math routines", arguments: [0, 1, 2])
    func ptxText(index: Int) throws {
        let (name, trainer) = try Self.trainers()[index]
        let ptx = try trainingPTXListing(for: trainer).ptx
        #expect(ptx.contains(".target sm_80") && ptx.contains(".version 7.0") && ptx.contains(".address_size 64"))
        for entry in GPUTrainingEmitter.Entry.allCases {
            #expect(ptx.contains(".visible .entry \(entry.kernelName)("), "\(name): \(entry.kernelName)")
        }
        #expect(ptx.components(separatedBy: ".entry").count == 5, "\(name): exactly four kernels")
        #expect(!ptx.contains(".extern"), "\(name): nothing undefined")
        #expect(!ptx.contains("fma."), "\(name): exact numerics, no fused multiply-add")
        #expect(ptx.contains("mul.rn.f64") && ptx.contains("add.rn.f64"), "\(name): rounded mul and add")
        #expect(!ptx.contains("atom."), "\(name): no atomics, the reduction is sequential")
        // The per-thread functions are inlined; what is left are calls of the built-in math
        // routines (exp, log, tanh, pow), each defined in the PTX as a `.func`.
        let lines = ptx.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let calls = lines.filter { $0.hasPrefix("call") }
        #expect(calls.isEmpty == (name == "moons"), "\(name): \(calls.count) calls")
        #expect(!ptx.contains("gpu_train_"), "\(name): the per-thread functions are inlined")
        let defined = lines.filter { $0.hasPrefix(".func") || $0.hasPrefix(".visible .func") }
        #expect(calls.isEmpty || defined.allSatisfy { $0.contains("mgrad") },
                "\(name): only the math routines: \(defined)")
        #expect(ptx.contains("ld.global.f64") && ptx.contains("st.global.f64"), "\(name): global memory")
    }

    @Test("IR: ptx_kernels of global pointers calling alwaysinline per-thread functions")
    func irText() throws {
        let trainer = try Self.trainers()[0].trainer
        let emitted = try trainingPTXListing(for: trainer, optimized: false).ir
        for entry in GPUTrainingEmitter.Entry.allCases {
            #expect(emitted.contains("define ptx_kernel void @\(entry.kernelName)("))
            #expect(emitted.contains("define internal void @\(entry.symbol)("))
        }
        #expect(irContainsPointer(emitted, to: "double", addressSpace: 1))
        #expect(emitted.contains("target triple = \"nvptx64-nvidia-cuda\""))
        let optimized = try trainingPTXListing(for: trainer).ir
        #expect(!optimized.contains("@gpu_train_"), "inlined and removed")
        #expect(!optimized.contains("fast") && !optimized.contains("contract"), "no fast-math flags")
    }

    @Test("a CPU target is refused; an optimiser the step lacks is unsupportedOperation")
    func errors() throws {
        let trainer = try Self.trainers()[0].trainer
        #expect(throws: JITError.self) { try trainingPTXListing(for: trainer, target: try JITOptions().target()) }
        struct Halving: Optimizer {
            var schedule: LearningRateSchedule = .constant(0.5)
            mutating func update(_ parameters: [Value], step: Int) throws -> Double { 0.5 }
        }
        let odd = Trainer(model: MLP(inputs: 2, layers: [1], seed: 1), optimizer: Halving())
        #expect { try trainingPTXListing(for: odd) } throws: { error in
            guard case JITError.unsupportedOperation = error else { return false }
            return true
        }
    }

    @Test("jit(trainer, on: .cuda()): deviceUnavailable without a driver, else a GPU trainer")
    func cudaOrReason() throws {
        let fixture = try MoonsFixture.bundled()
        let model = try fixture.makeModel()
        let trainer: DeviceTrainer
        do {
            trainer = try jit(Trainer.karpathyMoons(model: model), on: .cuda())
        } catch JITError.deviceUnavailable(let reason) {
            let known = ["libcuda.so.1 not found: ", "the CUDA driver sees no device", "did not initialise"]
            #expect(known.contains { reason.contains($0) }, "unexpected reason: \(reason)")
            return
        }
        #expect(trainer.device == .cuda(ordinal: 0) && trainer.ptx != nil && trainer.compiledTrainer == nil)
        let reports = try trainer.fit(fixture.dataset, steps: 3)
        for (report, entry) in zip(reports, fixture.log) { #expect(abs(report.loss - entry.loss) <= 1e-9) }
    }

    @Test("jit(trainer, on: .cpu) is the CPU compiled trainer behind the same calls")
    func onCPU() throws {
        let fixture = try MoonsFixture.bundled()
        let model = try fixture.makeModel()
        let trainer = try jit(Trainer.karpathyMoons(model: model), on: .cpu)
        #expect(trainer.compiledTrainer != nil && trainer.ptx == nil && trainer.deviceName == "cpu")
        let report = try trainer.step(TrainingBatch(fixture.dataset))
        #expect(abs(report.loss - fixture.log[0].loss) <= 1e-12 && trainer.stepCount == 1)
        try trainer.syncToHost()  // nothing to do: the parameters are the model's
        #expect(try trainer.gradient() == trainer.compiledTrainer?.gradient)
    }
}
