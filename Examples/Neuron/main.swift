// The neuron of the micrograd lecture, o = tanh(x1*w1 + x2*w2 + b): forward, backward, the
// numbers, then the graph as Graphviz DOT (the lecture's picture).
//
// NOTE: the lecture prints o = 0.7071067811865476 and grads of exactly -1.5, 1.0, 0.5. Here o
// comes out one ulp higher, 0.7071067811865477 (n = -6 + 6.8813735870195432 is rounded, and
// tanh is libm's rather than the lecture's exp formula), so 1 - o² and the gradients differ
// from the round numbers in the last few digits (x1.grad = -1.4999999999999993).
//
//     swift run Neuron | sed -n '/^digraph/,$p' | dot -Tsvg > neuron.svg
import Micrograd

let neuron = Expressions.lectureNeuron()
neuron.o.backward()
print("o.data  = \(neuron.o.data)")      // ≈ 0.7071067811865476
print("x1.grad = \(neuron.x1.grad)")     // ≈ -1.5
print("w1.grad = \(neuron.w1.grad)")     // ≈ 1.0
print("x2.grad = \(neuron.x2.grad)")     // ≈ 0.5
print("w2.grad = \(neuron.w2.grad)")     // 0.0
print("b.grad  = \(neuron.b.grad)")      // ≈ 0.5
print()
print(neuron.o.dot(), terminator: "")
