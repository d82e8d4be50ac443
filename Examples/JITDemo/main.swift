// JIT demo: compile karpathy's README expression and an MLP to native code, call them, print IR.
import JIT
import Micrograd

// The README expression, as a constant graph.
let a = Value(-4.0), b = Value(2.0)
var c = a + b
var d = a * b + b.pow(3)
c = c + (c + 1)
c = c + (1 + c + (-a))
d = d + (d * 2 + (b + a).relu())
d = d + (3 * d + (b - a).relu())
let e = c - d
let f = e.pow(2)
var g = f / 2.0
g = g + 10.0 / f

let compiled = try jit(g)
print("interpreted g = \(g.data)")
print("compiled    g = \(compiled())")

// An MLP, compiled as loops over its live parameter buffer.
let model = MLP(inputs: 2, layers: [16, 16, 1], seed: 1337)
let compiledModel = try jit(model)
let x = [0.5, -1.0]
print("interpreted MLP(2,[16,16,1])(\(x)) = \(try model(x).map(\.data))")
print("compiled    MLP(2,[16,16,1])(\(x)) = \(try compiledModel(x))")

// A graph with inputs and two outputs.
let u = Value(0, label: "u"), v = Value(0, label: "v")
let h = try jit([u * v + u, (u - v).tanh()], inputs: [u, v])
print("h(3, 2) = \(try h([3, 2]))")

print("\nOptimised LLVM IR of h:\n\(h)")
