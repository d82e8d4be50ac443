// Trains a tiny tanh MLP on XOR and prints its four predictions. Run: swift run XOR [seed]
import Micrograd

let seed = CommandLine.arguments.dropFirst().first.flatMap { UInt64($0) } ?? 3
let (trainer, dataset) = XORProblem.makeTrainer(seed: seed)
try trainer.fit(dataset, steps: XORProblem.steps) { report in
    if report.step % 25 == 0 {
        print("step \(report.step) loss \(report.loss), accuracy \(report.accuracy * 100)%")
    }
}
let scores = try Evaluation.scores(of: trainer.model, rows: dataset.rows)
for (row, score) in zip(dataset.rows, scores) {
    print("xor(\(Int(row[0])), \(Int(row[1]))) -> \(score)")
}
