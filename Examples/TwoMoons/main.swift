// Trains karpathy's two-moons MLP(2, [16, 16, 1]) from the bundled fixture's initial weights,
// printing the loss and accuracy as the demo notebook does. Run: swift run TwoMoons
import Micrograd

let fixture = try MoonsFixture.bundled()
let model = try fixture.makeModel()
let trainer = Trainer.karpathyMoons(model: model, steps: 100)
let start = ContinuousClock.now
try trainer.fit(fixture.dataset, steps: 100) { report in
    if report.step % 10 == 0 || report.step == 99 {
        print("step \(report.step) loss \(report.loss), accuracy \(report.accuracy * 100)%")
    }
}
let elapsed = ContinuousClock.now - start
let accuracy = try Evaluation.accuracy(of: model, on: fixture.dataset)
print("final accuracy \(accuracy * 100)% after 100 steps in \(elapsed)")
