// The README's API tour. Every code block of the README's "API tour" section is copied from this
// file (a test checks that they stay identical), so the tour is compiled by every build.
import Foundation
import JIT
import Micrograd

// tour: engine
let a = Value(-4.0, label: "a")
let b = Value(2.0, label: "b")
var c = a + b
var d = a * b + b.pow(3)
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
let e = c - d
let f = e.pow(2)
var g = f / 2.0
g += 10.0 / f
g.backward()
print(g)                        // Value(data=24.70408163265306, grad=1.0)
print(a.grad, b.grad)           // 138.83381924198252 645.5772594752186
// end

// tour: nn
let model = MLP(inputs: 2, layers: [16, 16, 1], seed: 1337)   // ReLU, ReLU, linear
print(model.parameters.count)   // 337
let score = try model([0.5, -1.0])[0]
let fixture = try MoonsFixture.bundled()
try model.loadParameters(fixture.initialParameters)
let trainer = Trainer(model: model, objective: .hinge, regularization: 1e-4,
                      optimizer: SGD(schedule: .linearDecay(steps: 100)))
try trainer.fit(fixture.dataset, steps: 100) { step in
    if step.step % 25 == 0 { print(step.step, step.loss, step.accuracy) }
}
// end

// tour: multiclass
let digits = try Digits.bundled()           // 1,437 training and 360 test images, 10 classes
let net = MLP(inputs: 64, layers: [32, 10], seed: 1)
let classifier = Trainer(model: net, objective: .softmaxCrossEntropy, optimizer: Adam(learningRate: 0.01))
for batch in try digits.train.batches(of: 32, shuffledWith: 7) {        // one epoch of minibatches
    try classifier.fitBatch(rows: batch.rows, targets: batch.targets)
}
let file = FileManager.default.temporaryDirectory.appendingPathComponent("digits-checkpoint.json")
try net.save(to: file)                      // a versioned JSON checkpoint, exact Float64
print(try MLP.load(from: file).parameters.count)    // 2410
// end

// tour: tracing
let neuron = Expressions.lectureNeuron()
neuron.o.backward()
let dotText = neuron.o.dot()                  // Graphviz DOT: one record per value, one node per op
let picture = Plot.lossCurve(losses: [0.9, 0.5, 0.2], title: "Loss")   // an SVG document
// end

// tour: jit
let compiledG = try jit(g)
print(compiledG())              // 24.70408163265306, computed by native code
let compiledModel = try jit(model)
print(try compiledModel([0.5, -1.0]))        // the same numbers as try model([0.5, -1.0])
let x = Value(0, label: "x"), y = Value(0, label: "y")
let h = try jit([x * y + x, (x - y).tanh()], inputs: [x, y])
print(try h([3, 2]))            // [9.0, 0.7615941559557649]
print(h)                        // its LLVM IR
// end

// tour: compiled training
let fresh = try fixture.makeModel()
let compiledTrainer = try jit(Trainer(model: fresh, objective: .hinge, regularization: 1e-4,
                                      optimizer: SGD(schedule: .linearDecay(steps: 100))))
try compiledTrainer.fit(fixture.dataset, steps: 100)     // one native call per step
print(try fresh([0.5, -1.0])[0].data)         // the interpreter sees the trained weights
let gradient = try jit(g, inputs: [a, b], parameters: [])
print(try gradient.valueAndGradient(inputs: [-4, 2], parameters: []).inputGradient)
// end

// tour: batched
let rows = (0..<4096).flatMap { i in [Double(i) / 4096, 1 - Double(i) / 4096] }
let scores = try compiledModel(batch: rows, rows: 4096)    // vectorised, split across cores
// end

// tour: gpu
do {
    let gpu = try jit(model, on: .cuda())             // PTX from LLVM's NVPTX backend, loaded by the driver
    let gpuScores = try gpu(batch: rows, rows: 4096)  // one thread per sample
    print(gpuScores == scores)                        // true: the interpreter's bits in Float64
    try gpu.syncToDevice()                            // after training: copy the new weights to the GPU
    let gpuTrainer = try jit(Trainer.karpathyMoons(model: try fixture.makeModel()), on: .cuda())
    try gpuTrainer.fit(fixture.dataset, steps: 100)   // the step as four kernels; parameters copied back at the end
} catch JITError.deviceUnavailable(let reason) {
    print(reason)                                     // libcuda.so.1 not found: ... (no GPU here)
}
print(try ptxListing(for: model).ptx.count)           // the kernel's PTX, generated without a GPU
// end
_ = (score, dotText, picture, scores)
