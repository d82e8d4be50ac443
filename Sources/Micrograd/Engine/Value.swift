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
public final class Value {
    /// The value's own storage when it is not bound to a ``ParameterStorage`` slot.
    @usableFromInline var storedData: Double
    /// The gradient of the last `backward()` root with respect to this value.
    ///
    /// Leaves accumulate across `backward()` calls, as PyTorch's leaf tensors do; clear them with
    /// ``zeroGrad()``. Interior nodes hold the adjoint from the last call.
    public var grad: Double = 0
    /// The op that produced this value (`.leaf` for constants, parameters and inputs).
    public let op: Op
    /// A name for pictures and debugging.
    public var label: String
    /// When false, optimisers leave the value unchanged (a frozen parameter).
    public var isLearnable: Bool = true

    @usableFromInline private(set) var lhs: Value?
    @usableFromInline private(set) var rhs: Value?
    /// Where `data` lives when the value is a slot of a parameter buffer (see `ParameterStorage`).
    @usableFromInline let storage: ParameterStorage?
    @usableFromInline let storageIndex: Int
    /// Longest path to a leaf (saturating); decides whether `deinit` must unlink iteratively.
    @usableFromInline let depth: UInt32
    /// Traversal mark: equal to the current epoch when a traversal has visited the node.
    var mark: UInt64 = 0

    /// Creates a leaf holding `data`.
    public init(_ data: Double, label: String = "") {
        self.storedData = data
        self.op = .leaf
        self.label = label
        self.lhs = nil
        self.rhs = nil
        self.storage = nil
        self.storageIndex = 0
        self.depth = 0
    }

    /// Creates a leaf whose data lives in `storage[index]`, so that compiled code sharing the
    /// buffer and this value always see the same number.
    public init(boundTo storage: ParameterStorage, index: Int, label: String = "") {
        precondition(index >= 0 && index < storage.count, "slot \(index) is outside a storage of \(storage.count)")
        self.storedData = 0
        self.op = .leaf
        self.label = label
        self.lhs = nil
        self.rhs = nil
        self.storage = storage
        self.storageIndex = index
        self.depth = 0
    }

    /// Creates the result of `op` applied to its operands, with an already computed value.
    @usableFromInline
    init(data: Double, op: Op, _ lhs: Value, _ rhs: Value? = nil) {
        self.storedData = data
        self.op = op
        self.label = ""
        self.lhs = lhs
        self.rhs = rhs
        self.storage = nil
        self.storageIndex = 0
        let below = max(lhs.depth, rhs?.depth ?? 0)
        self.depth = below == .max ? below : below + 1
    }

    /// The value computed by the forward pass; writable (optimisers update leaves in place).
    @inlinable
    public var data: Double {
        get {
            if let storage { return storage.baseAddress[storageIndex] }
            return storedData
        }
        set {
            if let storage { storage.baseAddress[storageIndex] = newValue } else { storedData = newValue }
        }
    }

    /// The operands of ``op``, in operand order (`a - b` gives `[a, b]`).
    public var children: [Value] {
        switch (lhs, rhs) {
        case let (l?, r?): [l, r]
        case let (l?, nil): [l]
        default: []
        }
    }

    /// True when the value has no operands.
    public var isLeaf: Bool { lhs == nil }

    deinit {
        // NOTE: releasing a long chain recursively (each node releasing its operand in its own
        // deinit) overflows the stack for chains of a million nodes. Deep nodes unlink their
        // operands into an explicit stack first, so every release below is shallow.
        guard depth > Value.recursiveReleaseDepth else { return }
        var pending: [Value] = []
        if let l = lhs { pending.append(l) }
        if let r = rhs { pending.append(r) }
        lhs = nil
        rhs = nil
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) {
                if let l = node.lhs { pending.append(l) }
                if let r = node.rhs { pending.append(r) }
                node.lhs = nil
                node.rhs = nil
            }
        }
    }

    /// Chains up to this depth are released the ordinary, recursive way.
    static let recursiveReleaseDepth: UInt32 = 200
}

extension Value: CustomStringConvertible {
    /// micrograd's form: `Value(data=24.70408163265306, grad=0.0)`.
    public var description: String { "Value(data=\(data), grad=\(grad))" }
}
