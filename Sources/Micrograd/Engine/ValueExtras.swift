/// The rarely used fields of a `Value`, in a side object allocated only when one is set.
///
/// NOTE: performance. Most nodes of a graph are interior nodes or constants without a label, a
/// parameter binding or n-ary operands. Keeping those fields out of `Value` makes each node
/// 88 bytes instead of 112 (one malloc size class smaller) and saves their initialisation and
/// release on every node created and freed.
final class ValueExtras {
    /// A name for pictures and debugging.
    var label: String = ""
    /// Keeps the parameter buffer behind `Value.slot` alive.
    var storage: ParameterStorage?
    /// The operands after `lhs` of an n-ary op, owned by the `Value` (see `Value.rest`).
    var rest: UnsafeMutablePointer<Unmanaged<Value>>?

    init(label: String = "", storage: ParameterStorage? = nil) {
        self.label = label
        self.storage = storage
    }
}
