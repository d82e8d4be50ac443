// The neuron of the micrograd lecture, o = tanh(x1*w1 + x2*w2 + b): forward, backward, the
// numbers, then the graph as Graphviz DOT (the lecture's picture).
//
//     swift run Neuron | sed -n '/^digraph/,$p' | dot -Tsvg > neuron.svg
import Micrograd

let neuron = Expressions.lectureNeuron()
neuron.o.backward()
print("o.data  = \(neuron.o.data)")      // 0.7071067811865476
print("x1.grad = \(neuron.x1.grad)")     // -1.5
print("w1.grad = \(neuron.w1.grad)")     // 1.0
print("x2.grad = \(neuron.x2.grad)")     // 0.5
print("w2.grad = \(neuron.w2.grad)")     // 0.0
print("b.grad  = \(neuron.b.grad)")      // 0.5
print()
print(neuron.o.dot(), terminator: "")
