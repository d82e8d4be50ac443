/// A contiguous buffer of `Double`s that parameter values can live in.
///
/// An `MLP` binds its parameters to one storage in `parameters` order, so the interpreter (through
/// `Value.data`) and compiled code (through ``baseAddress``) read and write the same numbers:
/// training with either is seen by the other without copying.
public final class ParameterStorage: @unchecked Sendable {
    /// The first element; valid while the storage is alive.
    public let baseAddress: UnsafeMutablePointer<Double>
    /// The number of elements.
    public let count: Int
    /// How many times `isLearnable` has changed on a value bound to this storage (wrapping).
    public internal(set) var learnableChanges: UInt64 = 0

    /// Allocates `count` elements, all zero.
    public init(count: Int) {
        precondition(count >= 0, "a storage cannot have a negative size")
        self.count = count
        self.baseAddress = .allocate(capacity: Swift.max(count, 1))
        baseAddress.initialize(repeating: 0, count: Swift.max(count, 1))
    }

    deinit {
        baseAddress.deallocate()
    }

    /// The elements as a buffer.
    public var buffer: UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: baseAddress, count: count)
    }

    /// A copy of the elements.
    public var values: [Double] { Array(buffer) }
}
