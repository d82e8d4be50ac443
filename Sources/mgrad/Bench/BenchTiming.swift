import Foundation

/// Timing primitives of `mgrad bench`, the same method as the peers' scripts
/// (`../shared/peers/common.py` and the Swift peers' `Timing.swift`).
enum BenchClock {
    /// Monotonic clock in nanoseconds.
    @inline(__always)
    static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// Returns its argument through an optimisation barrier, so a benchmark's input is not
/// constant-folded.
@_optimize(none) @inline(never)
func benchOpaque<T>(_ value: T) -> T { value }

/// Median, minimum and maximum of a set of samples (nanoseconds per call).
struct BenchStats: Codable, Sendable {
    var median: Double
    var min: Double
    var max: Double
    var n: Int

    /// The statistics of `samples` (at least one).
    init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "statistics of no samples")
        let s = samples.sorted()
        let count = s.count
        median = count % 2 == 1 ? s[count / 2] : 0.5 * (s[count / 2 - 1] + s[count / 2])
        min = s[0]
        max = s[count - 1]
        n = count
    }
}

/// A timed workload: `body(n)` runs the workload `n` times and returns a checksum, which is
/// accumulated in `sink` so the work cannot be optimised away.
struct BenchTimer {
    /// Checksums of every run (printed at the end, keeps results alive).
    private(set) var sink = 0.0

    /// Adds a checksum computed outside `measure`.
    mutating func record(checksum: Double) { sink += checksum }

    /// The inner-loop count for samples of about `target` seconds.
    ///
    /// As the peers do: grow n by 4x until one run takes at least target/4, then scale.
    mutating func calibrate(_ body: (Int) throws -> Double, target: Double = 0.05, maxInner: Int = 100_000_000) rethrows -> Int {
        var n = 1
        var seconds = 0.0
        while true {
            let t0 = BenchClock.nowNs()
            sink += try body(n)
            seconds = Double(BenchClock.nowNs() - t0) * 1e-9
            if seconds >= target / 4 || n >= maxInner { break }
            n *= 4
        }
        let perCall = seconds / Double(n)
        return Swift.max(1, Swift.min(maxInner, perCall > 0 ? Int(target / perCall) : maxInner))
    }

    /// Per-call nanoseconds: `warmup` untimed samples, then `repeats` samples of `inner` calls.
    mutating func perCall(_ body: (Int) throws -> Double, inner: Int, repeats: Int, warmup: Int = 1) rethrows -> BenchStats {
        for _ in 0..<warmup { sink += try body(inner) }
        var samples: [Double] = []
        samples.reserveCapacity(repeats)
        for _ in 0..<repeats {
            let t0 = BenchClock.nowNs()
            sink += try body(inner)
            samples.append(Double(BenchClock.nowNs() - t0) / Double(inner))
        }
        return BenchStats(samples)
    }

    /// Calibrates, then measures: the usual way to time a call of a few ns to a few ms.
    mutating func measure(repeats: Int, _ body: (Int) throws -> Double) rethrows -> (BenchStats, inner: Int) {
        let inner = try calibrate(body)
        return (try perCall(body, inner: inner, repeats: repeats), inner)
    }
}

/// A duration from nanoseconds, as the peers print it (`125.00 us`).
func formatNs(_ ns: Double) -> String {
    if ns < 1e3 { return String(format: "%.0f ns", ns) }
    if ns < 1e6 { return String(format: "%.2f us", ns / 1e3) }
    if ns < 1e9 { return String(format: "%.2f ms", ns / 1e6) }
    return String(format: "%.3f s", ns / 1e9)
}
