import Foundation
import Micrograd

/// One benchmark of `mgrad bench`: a key for `--only`, and a body that measures and records.
///
/// To add a workload (e.g. a JIT one), write one file with
/// `extension BenchWorkload { static let w4Batched = BenchWorkload(...) }` and list it in
/// ``BenchRegistry/all``.
struct BenchWorkload: Sendable {
    /// The key `--only` selects by: `w3` or `w3-jit`. The part before `-` is the group
    /// (`--only w3` selects every W3 workload).
    let key: String
    /// What is measured, one line.
    let summary: String
    /// The default number of samples per figure.
    let defaultRepeats: Int
    /// Runs the workload and records its figures into the context.
    let run: @Sendable (BenchContext) throws -> Void

    /// The group of the key (`w3` for `w3-jit`).
    var group: String { String(key.split(separator: "-").first ?? Substring(key)) }

    /// Whether `--only` `selection` (keys or groups) selects this workload.
    func isSelected(by selection: Set<String>?) -> Bool {
        guard let selection else { return true }
        return selection.contains(key) || selection.contains(group)
    }
}

/// Every workload `mgrad bench` knows, in the order they run.
enum BenchRegistry {
    static let all: [BenchWorkload] = [
        .w1Interpreted,
        .w3Interpreted,
        .w2Interpreted,
        .w2Compiled,
        .w3Compiled,
        .w4Batched,
        .w5CompileLatency,
        .w6Multiclass,
    ]
}

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

/// What a workload sees while running: options, shared data, and where figures go.
final class BenchContext {
    /// `--repeats`, when given.
    let repeatsOverride: Int?
    /// The two-moons fixture (loaded on first use).
    private let fixturePath: String?
    private var loadedFixture: MoonsFixture?
    /// Figures so far, in order.
    private(set) var records: [BenchRecord] = []
    /// The timer and its checksum.
    var timer = BenchTimer()
    /// Key of the workload being run.
    var currentKey = ""

    init(repeatsOverride: Int?, fixturePath: String?) {
        self.repeatsOverride = repeatsOverride
        self.fixturePath = fixturePath
    }

    /// `--repeats` if given, else the workload's default.
    func repeats(default value: Int) -> Int { repeatsOverride ?? value }

    /// The fixture: MLP(2,[16,16,1]) initial weights and the 100 points of two moons
    /// (`--fixture PATH`, else the copy bundled with Micrograd).
    func fixture() throws -> MoonsFixture {
        if let loadedFixture { return loadedFixture }
        let fixture = try fixturePath.map { try MoonsFixture(contentsOf: URL(fileURLWithPath: $0)) } ?? MoonsFixture.bundled()
        loadedFixture = fixture
        return fixture
    }

    /// Records a figure and prints it as one line.
    func record(_ workload: String, _ variant: String, _ stats: BenchStats, inner: Int, extra: [String: Double] = [:]) {
        records.append(BenchRecord(workload: workload, key: currentKey, variant: variant, ns: stats, inner: inner, extra: extra))
        print("  \(workload) | \(variant): \(formatNs(stats.median)) [\(formatNs(stats.min)) - \(formatNs(stats.max))]")
        fflushStdout()
    }
}
