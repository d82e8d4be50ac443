// Classifies two-moons points with the exported model, as Examples/ExportC/main.c does, and
// prints the same lines: `x y label score` (%.17g), then the accuracy. Exits 1 when a batched
// score differs from the single-sample call's.
import Foundation
import moons

let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "points.txt"
guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
    FileHandle.standardError.write(Data("classify: cannot read \(path)\n".utf8))
    exit(1)
}
let inputCount = Int(MOONS_INPUTS), outputCount = Int(MOONS_OUTPUTS)
var inputs: [Double] = []
var labels: [Int] = []
for line in text.split(separator: "\n") {
    let fields = line.split(separator: " ")
    guard fields.count == 3, let x = Double(fields[0]), let y = Double(fields[1]), let label = Int(fields[2]) else {
        FileHandle.standardError.write(Data("classify: \(path): bad line \"\(line)\"\n".utf8))
        exit(1)
    }
    inputs += [x, y]
    labels.append(label)
}

var outputs = [Double](repeating: .nan, count: labels.count * outputCount)
moons_predict_batch(inputs, &outputs, labels.count)
var correct = 0
for row in labels.indices {
    var single = [Double](repeating: .nan, count: outputCount)
    inputs.withUnsafeBufferPointer { moons_predict($0.baseAddress! + row * inputCount, &single) }
    let score = outputs[row * outputCount]
    guard single[0].bitPattern == score.bitPattern else {
        let message = "classify: row \(row): moons_predict gives \(single[0]), the batch \(score)\n"
        FileHandle.standardError.write(Data(message.utf8))
        exit(1)
    }
    correct += (score > 0 ? 1 : -1) == labels[row] ? 1 : 0
    let (x, y) = (inputs[row * inputCount], inputs[row * inputCount + 1])
    print(String(format: "%.17g %.17g %ld %.17g", x, y, labels[row], score))
}
let percent = 100.0 * Double(correct) / Double(labels.count)
print(String(format: "accuracy %ld/%ld (%.1f%%)", correct, labels.count, percent))
