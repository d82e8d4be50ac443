import Foundation

/// One recorded figure: per-call nanoseconds of a workload variant.
struct BenchRecord: Codable, Sendable {
    /// The workload (`W1` ... `W5`).
    var workload: String
    /// The key of the workload that produced it (`w3-jit`).
    var key: String
    /// What exactly was timed.
    var variant: String
    /// Nanoseconds per call (for W2: per 100 training steps).
    var ns: BenchStats
    /// Calls per sample.
    var inner: Int
    /// Other numbers worth keeping (per-step time, losses, node counts).
    var extra: [String: Double]
}
