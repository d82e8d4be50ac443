import Micrograd

/// The slot of each linearised graph node, keyed by the node's identity: an open-addressing
/// hash table sized once for the whole graph (linear probing, a multiplicative hash of the
/// object address).
///
/// NOTE: performance. In place of `[ObjectIdentifier: Int]`, whose SipHash and bucket search
/// took a tenth of the linearisation of a 1,245,396-node graph; here a lookup is a multiply,
/// a shift and (at most half full) about 1.5 probes, each key beside its slot (one cache line:
/// on a big graph every probe misses the cache).
struct NodeSlotMap {
    private struct Entry {
        var key: UInt = 0
        var slot: Int32 = -1
    }
    private var entries: [Entry]
    private let shift: UInt

    /// A map with room for `count` nodes.
    init(capacity count: Int) {
        var bits: UInt = 4
        while (1 << bits) < 2 * Swift.max(count, 1) { bits += 1 }
        entries = Array(repeating: Entry(), count: 1 << bits)
        shift = UInt(UInt.bitWidth) - bits
    }

    private func start(_ key: UInt) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    private static func key(_ node: Unmanaged<Value>) -> UInt { UInt(bitPattern: node.toOpaque()) }

    /// Records `slot` for `node` (a node is recorded once).
    mutating func insert(_ node: Unmanaged<Value>, slot: Int) {
        let key = Self.key(node), mask = entries.count - 1
        var index = start(key)
        while entries[index].key != 0 && entries[index].key != key { index = (index + 1) & mask }
        entries[index] = Entry(key: key, slot: Int32(truncatingIfNeeded: slot))
    }

    /// The slot recorded for `node`, or nil.
    func slot(of node: Unmanaged<Value>) -> Int? {
        let key = Self.key(node), mask = entries.count - 1
        var index = start(key)
        while entries[index].key != 0 {
            if entries[index].key == key { return Int(entries[index].slot) }
            index = (index + 1) & mask
        }
        return nil
    }
}
