/// Seeded shuffles, minibatches and train/test splits of a ``Dataset``.
///
/// Every order is a function of the seed (and the epoch) alone: the same on every platform and
/// Swift version. The permutation is a Fisher-Yates shuffle driven by ``RandomSource``, with
/// bounded draws by rejection (no modulo bias), not the standard library's `shuffle(using:)`,
/// whose algorithm is not promised to stay the same.
extension Dataset {
    /// A permutation of `0..<count`, fixed by `seed` and `epoch`.
    ///
    /// Different epochs give unrelated orders (the generator is seeded from a mix of both), so
    /// a training loop can reshuffle each epoch and still be reproduced exactly.
    ///
    /// - Parameters:
    ///   - seed: The seed of the whole run.
    ///   - epoch: The epoch, any integer.
    public func shuffledIndices(seed: UInt64, epoch: Int = 0) -> [Int] {
        Self.permutation(count: count, seed: seed, epoch: epoch)
    }

    /// The rows in the order of ``shuffledIndices(seed:epoch:)``.
    ///
    /// - Parameters:
    ///   - seed: The seed of the whole run.
    ///   - epoch: The epoch, any integer.
    public func shuffled(seed: UInt64, epoch: Int = 0) -> Dataset {
        // NOTE: a permutation of 0..<count is never empty and never out of range.
        (try? subset(shuffledIndices(seed: seed, epoch: epoch))) ?? self
    }

    /// Minibatches of `size` rows: in order, or shuffled for the given seed and epoch.
    ///
    /// - Parameters:
    ///   - size: The rows per batch, at least 1.
    ///   - seed: Shuffles the rows first (``shuffledIndices(seed:epoch:)``) when given.
    ///   - epoch: The epoch whose shuffle is used.
    ///   - keepingPartialBatch: Whether a last batch smaller than `size` is kept (the default)
    ///     or dropped.
    /// - Returns: The batches; empty only when dropping the partial batch leaves none.
    /// - Throws: `MicrogradError.invalidArgument` for a size below 1.
    public func batches(of size: Int, shuffledWith seed: UInt64? = nil, epoch: Int = 0,
                        keepingPartialBatch: Bool = true) throws -> [Dataset] {
        guard size >= 1 else {
            throw MicrogradError.invalidArgument("the batch size must be at least 1, got \(size)")
        }
        let order = seed.map { shuffledIndices(seed: $0, epoch: epoch) } ?? Array(0..<count)
        var result: [Dataset] = []
        var start = 0
        while start < count {
            let end = count - start > size ? start + size : count
            if end - start < size && !keepingPartialBatch { break }
            result.append(try subset(Array(order[start..<end])))
            start = end
        }
        return result
    }

    /// Splits the rows into a training set of `trainCount` rows and a test set of the rest.
    ///
    /// - Parameters:
    ///   - trainCount: The rows of the training set, in `1..<count` (both parts non-empty).
    ///   - seed: Without a seed, the first `trainCount` rows train and the rest test; with one,
    ///     the rows are first shuffled (``shuffledIndices(seed:epoch:)``, epoch 0).
    /// - Throws: `MicrogradError.invalidArgument` when either part would be empty.
    public func split(trainCount: Int, shuffledWith seed: UInt64? = nil) throws -> (train: Dataset, test: Dataset) {
        guard trainCount >= 1, trainCount < count else {
            throw MicrogradError.invalidArgument(
                "the training part must hold 1 to \(count - 1) of the \(count) rows, got \(trainCount)")
        }
        let order = seed.map { shuffledIndices(seed: $0) } ?? Array(0..<count)
        return (try subset(Array(order[..<trainCount])), try subset(Array(order[trainCount...])))
    }

    /// Splits the rows by a fraction: ``split(trainCount:shuffledWith:)`` with
    /// `trainCount = (fraction * count).rounded()`.
    ///
    /// - Parameters:
    ///   - fraction: The share of rows that train, in (0, 1).
    ///   - seed: Shuffles the rows first when given.
    /// - Throws: `MicrogradError.invalidArgument` for a fraction outside (0, 1) or one that
    ///   leaves either part empty.
    public func split(trainFraction fraction: Double,
                      shuffledWith seed: UInt64? = nil) throws -> (train: Dataset, test: Dataset) {
        guard fraction > 0, fraction < 1 else {
            throw MicrogradError.invalidArgument("the training fraction must be in (0, 1), got \(fraction)")
        }
        return try split(trainCount: Int((fraction * Double(count)).rounded()), shuffledWith: seed)
    }

    /// Fisher-Yates over `0..<count` with a generator seeded from `seed` and `epoch`.
    static func permutation(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        var seedSource = RandomSource(seed: seed)
        var epochSource = RandomSource(seed: UInt64(bitPattern: Int64(epoch)))
        var generator = RandomSource(seed: seedSource.next() ^ epochSource.next())
        var order = Array(0..<count)
        var index = count - 1
        while index > 0 {
            let other = Int(uniformBelow(UInt64(index) + 1, using: &generator))
            order.swapAt(index, other)
            index -= 1
        }
        return order
    }

    /// A number uniformly distributed in `0..<bound` (`bound` >= 1): Lemire's multiply-shift,
    /// rejecting the low products that would bias it.
    static func uniformBelow(_ bound: UInt64, using generator: inout RandomSource) -> UInt64 {
        let threshold = (0 &- bound) % bound
        while true {
            let product = generator.next().multipliedFullWidth(by: bound)
            if product.low >= threshold { return product.high }
        }
    }
}
