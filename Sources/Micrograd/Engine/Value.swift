/// A scalar node of a dynamically built computation graph: its value, its gradient, the op that
/// made it and that op's operands.
///
/// `Value` is a reference type because graph nodes are shared: `let y = x * x` has one operand
/// used twice. Build graphs with the operators (`+ - * /`, prefix `-`) and methods (`pow`, `relu`,
/// `tanh`, `exp`, `log`, `sigmoid`), then call ``backward()`` on the result.
///
/// ```swift
/// let a = Value(-4), b = Value(2)
/// let y = (a * b + b.pow(3)).relu()
/// y.backward()        // a.grad, b.grad now hold dy/da, dy/db
/// ```
///
/// Threads: building nodes on shared operands, ``backward()``, ``zeroGrad()``,
/// ``topologicalOrder(of:)`` (and so DOT and the JIT's compilation) may run on several threads
/// at once, also over graphs that share nodes: they take one process-wide lock, so each runs as
/// if alone and shared leaves accumulate every call's gradient. ``data``, ``grad`` and ``label``
/// are plain fields: reading one while another thread's call may write it, or writing it while
/// another thread's call reads it, is a data race; order such accesses yourself (for example,
/// read gradients after joining the threads that called `backward()`). `Value` is therefore not
/// `Sendable`.
public final class Value {
    // NOTE: performance. The mutable stored properties below are `internal` and not
    // `@usableFromInline`, and the public `data` and `grad` are computed properties over them.
    // With whole-module optimisation the compiler then sees every access to them, proves none
    // can overlap, and drops Swift's dynamic exclusivity checks (a `swift_beginAccess` runtime
    // call per read or write of a class property that other modules could touch), which
    // otherwise took about a fifth of the interpreter's time.
    //
    // NOTE: field order. The fields a traversal and `backward()` touch per node (operands,
    // mark, grad, data, op) come first, so they usually share one 64-byte cache line; graphs
    // of 10^5 nodes do not fit in cache and their walks are bound by memory latency.

    /// The first operand (nil for a leaf), retained by this node.
    ///
    /// NOTE: performance. The operands are `Unmanaged` references that this node retains in
    /// `init` and releases in `deinit`, by hand. Reading one then costs no reference counting:
    /// with ordinary strong properties every edge followed by a traversal or by `backward()`
    /// was a `swift_retain`/`swift_release` pair (atomic operations). Everything that reads
    /// them runs while this node, and so its operands, are alive.
    private(set) var lhs: Unmanaged<Value>?
    /// The second operand of a binary op, retained by this node.
    private(set) var rhs: Unmanaged<Value>?
    /// Traversal mark (see `Topology.swift`): which traversal last saw the node, and how far;
    /// written only holding `GraphLock`.
    var mark: UInt64 = 0
    /// Storage of ``grad``.
    var storedGrad: Double = 0
    /// The value's own number when it is not bound to a ``ParameterStorage`` slot.
    var storedData: Double
    /// The op that produced this value (`.leaf` for constants, parameters and inputs).
    public let op: Op
    /// When false, optimisers leave the value unchanged (a frozen parameter).
    ///
    /// Changing it on a value bound to a ``ParameterStorage`` counts a change there
    /// (``ParameterStorage/learnableChanges``), so compiled trainers re-read the flags only
    /// when one has changed.
    public var isLearnable: Bool = true {
        didSet { if slot != nil, oldValue != isLearnable { extras?.storage?.learnableChanges &+= 1 } }
    }
    /// Longest path to a leaf (saturating); decides whether `deinit` must unlink iteratively.
    ///
    /// NOTE: 16 bits, so that it and `restCount` fill the padding after `op` and `isLearnable`
    /// (only its comparison with `recursiveReleaseDepth` matters).
    let depth: UInt16
    /// The number of operands in `rest` (0 for every op but `.weightedSum`); checked before
    /// `rest` is read, so traversals touch `extras` only for n-ary nodes.
    private(set) var restCount: UInt32 = 0
    /// The slot `data` lives in when the value is bound to a parameter buffer, else nil.
    let slot: UnsafeMutablePointer<Double>?
    /// The label, the parameter buffer and the n-ary operands, when any is set (see `ValueExtras`).
    private(set) var extras: ValueExtras?

    /// A name for pictures and debugging.
    public var label: String {
        get { extras?.label ?? "" }
        set {
            if let extras {
                extras.label = newValue
            } else if !newValue.isEmpty {
                extras = ValueExtras(label: newValue)
            }
        }
    }

    /// The operands after `lhs` of an n-ary op (`.weightedSum`: `w0, x0, w1, x1, ...`), each
    /// retained by this node, in a buffer this node owns; nil for the other ops.
    var rest: UnsafeMutablePointer<Unmanaged<Value>>? {
        // NOTE: `restCount` is set non-zero only in `init(weightedSum:...)`, together with
        // `extras` (and `moveOperands` zeroes it before unlinking), so `extras` is never nil here.
        restCount == 0 ? nil : extras.unsafelyUnwrapped.rest
    }

    /// Keeps the buffer behind `slot` alive.
    var storage: ParameterStorage? { extras?.storage }

    /// Creates a leaf holding `data`.
    public init(_ data: Double, label: String = "") {
        self.storedData = data
        self.op = .leaf
        self.lhs = nil
        self.rhs = nil
        self.slot = nil
        self.extras = label.isEmpty ? nil : ValueExtras(label: label)
        self.depth = 0
    }

    /// Creates a leaf whose data lives in `storage[index]`, so that compiled code sharing the
    /// buffer and this value always see the same number.
    public init(boundTo storage: ParameterStorage, index: Int, label: String = "") {
        precondition(index >= 0 && index < storage.count, "slot \(index) is outside a storage of \(storage.count)")
        self.storedData = 0
        self.op = .leaf
        self.lhs = nil
        self.rhs = nil
        self.slot = storage.baseAddress + index
        self.extras = ValueExtras(label: label, storage: storage)
        self.depth = 0
    }

    /// Creates the result of `op` applied to its operands, with an already computed value.
    init(data: Double, op: Op, _ lhs: __owned Value, _ rhs: __owned Value? = nil) {
        self.storedData = data
        self.op = op
        self.lhs = Unmanaged.passRetained(lhs)
        self.rhs = rhs.map { Unmanaged.passRetained($0) }
        self.slot = nil
        self.extras = nil
        let below = Swift.max(lhs.depth, rhs?.depth ?? 0)
        self.depth = below == .max ? below : below + 1
    }

    /// Creates a `.weightedSum` node, `bias + weights[0] * inputs[0] + ...`, with its already
    /// computed value; the operands are stored as `bias` then `w0, x0, w1, x1, ...`.
    init(weightedSum data: Double, bias: Value, weights: [Value], inputs: [Value]) {
        precondition(weights.count == inputs.count, "\(weights.count) weights for \(inputs.count) inputs")
        self.storedData = data
        self.op = .weightedSum
        self.lhs = Unmanaged.passRetained(bias)
        self.rhs = nil
        self.slot = nil
        self.extras = nil
        var below = bias.depth
        if !weights.isEmpty {
            let buffer = UnsafeMutablePointer<Unmanaged<Value>>.allocate(capacity: 2 * weights.count)
            for index in weights.indices {
                let weight = weights[index], input = inputs[index]
                (buffer + 2 * index).initialize(to: Unmanaged.passRetained(weight))
                (buffer + 2 * index + 1).initialize(to: Unmanaged.passRetained(input))
                below = Swift.max(below, weight.depth, input.depth)
            }
            let extras = ValueExtras()
            extras.rest = buffer
            self.extras = extras
            self.restCount = UInt32(2 * weights.count)
        }
        self.depth = below == .max ? below : below + 1
    }

    /// The value computed by the forward pass; writable (optimisers update leaves in place).
    public var data: Double {
        get {
            if let slot { return slot.pointee }
            return storedData
        }
        set {
            if let slot { slot.pointee = newValue } else { storedData = newValue }
        }
    }

    /// The gradient of the last `backward()` root with respect to this value.
    ///
    /// Leaves accumulate across `backward()` calls, as PyTorch's leaf tensors do; clear them with
    /// ``zeroGrad()``. Interior nodes hold the adjoint from the last call that reached them
    /// (concurrent calls run one at a time; see ``backward()``).
    public var grad: Double {
        get { storedGrad }
        set { storedGrad = newValue }
    }

    /// The operands of ``op``, in operand order (`a - b` gives `[a, b]`; a `.weightedSum` gives
    /// `[bias, w0, x0, w1, x1, ...]`).
    public var children: [Value] {
        var operands: [Value] = []
        operands.reserveCapacity(2 + Int(restCount))
        if let lhs { operands.append(lhs.takeUnretainedValue()) }
        if let rhs { operands.append(rhs.takeUnretainedValue()) }
        // NOTE: the loop runs only when `restCount` > 0, where `rest` is non-nil (see `rest`).
        for index in 0..<Int(restCount) { operands.append(rest.unsafelyUnwrapped[index].takeUnretainedValue()) }
        return operands
    }

    /// True when the value has no operands.
    public var isLeaf: Bool { lhs == nil }

    deinit {
        // NOTE: releasing a long chain recursively (each node releasing its operand in its own
        // deinit) overflows the stack for chains of a million nodes. Deep nodes unlink their
        // operands into an explicit stack first, so every release below is shallow. Operands
        // no deeper than `recursiveReleaseDepth` are left to the ordinary recursive release
        // (its recursion is bounded by their depth), which skips the bookkeeping for the bulk
        // of a typical graph.
        guard depth > Value.recursiveReleaseDepth else {
            lhs?.release()
            rhs?.release()
            if let rest {
                for index in 0..<Int(restCount) { rest[index].release() }
                rest.deallocate()
            }
            return
        }
        // Every entry is a reference we own (one retain), moved out of its parent.
        var pending: [Unmanaged<Value>] = []
        moveOperands(to: &pending)
        while let reference = pending.popLast() {
            var node = reference.takeRetainedValue()
            if node.depth > Value.recursiveReleaseDepth && isKnownUniquelyReferenced(&node) {
                // Move its operands' ownership to `pending`, so freeing it releases nothing.
                node.moveOperands(to: &pending)
            }
        }
    }

    /// Moves the ownership of every operand reference to `pending` and unlinks them all.
    private func moveOperands(to pending: inout [Unmanaged<Value>]) {
        if let l = lhs { pending.append(l) }
        if let r = rhs { pending.append(r) }
        if let rest {
            pending.append(contentsOf: UnsafeBufferPointer(start: rest, count: Int(restCount)))
            rest.deallocate()
        }
        lhs = nil
        rhs = nil
        extras?.rest = nil
        restCount = 0
    }

    /// Chains up to this depth are released the ordinary, recursive way.
    static let recursiveReleaseDepth: UInt16 = 200
}

extension Value: CustomStringConvertible {
    /// micrograd's form: `Value(data=24.70408163265306, grad=0.0)`.
    public var description: String { "Value(data=\(data), grad=\(grad))" }
}
