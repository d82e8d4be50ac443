// karpathy's README expression: build it, run backward(), print the numbers micrograd's README
// gives (g = 24.7041, dg/da = 138.8338, dg/db = 645.5773), then the graph as Graphviz DOT.
//
//     swift run ReadmeExpression            # numbers, then DOT
//     swift run ReadmeExpression | sed -n '/^digraph/,$p' | dot -Tsvg > readme.svg
import Micrograd

let (g, a, b) = Expressions.readme()
g.backward()
print("g.data = \(g.data)")      // 24.70408163265306
print("a.grad = \(a.grad)")      // 138.83381924198252
print("b.grad = \(b.grad)")      // 645.5772594752186
print()
print(g.dot(), terminator: "")
