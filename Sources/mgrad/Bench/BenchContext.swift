import Foundation
import JIT
import Micrograd

/// What a workload sees while running: options, shared data, and where figures go.
final class BenchContext {
    /// `--repeats`, when given.
    let repeatsOverride: Int?
    /// `--threads`, when given: the most threads of batched calls (W4) and compiled training
    /// steps (`CompiledTrainer.threads`, W2 and W6). Nil: W4 runs on 1 and on 2 threads, and
    /// training steps may use every active core.
    let threads: Int?
    /// The processor compiled code is generated for (`--cpu`, else the host).
    let processor: JITOptions.Processor
    /// The description of ``processor``: what the code generator sized its vectors for.
    let target: TargetDescription
    /// The two-moons fixture (loaded on first use).
    private let fixturePath: String?
    private var loadedFixture: MoonsFixture?
    /// Figures so far, in order.
    private(set) var records: [BenchRecord] = []
    /// The timer and its checksum.
    var timer = BenchTimer()
    /// Key of the workload being run.
    var currentKey = ""

    /// - Throws: `JITError.unsupportedTarget` for a CPU name the JIT does not know.
    init(
        repeatsOverride: Int?, fixturePath: String?, threads: Int? = nil, processor: JITOptions.Processor = .host
    ) throws {
        self.repeatsOverride = repeatsOverride
        self.fixturePath = fixturePath
        self.threads = threads
        self.processor = processor
        target = try processor.targetDescription()
    }

    /// `--repeats` if given, else the workload's default.
    func repeats(default value: Int) -> Int { repeatsOverride ?? value }

    /// The options every compiled workload uses: Float64 at O2 for ``processor``, in `numerics`
    /// (exact unless a workload times the fast mode beside it).
    func jitOptions(_ numerics: JITOptions.Numerics = .exact) -> JITOptions {
        JITOptions(processor: processor, numerics: numerics)
    }

    /// The fixture: MLP(2,[16,16,1]) initial weights and the 100 points of two moons
    /// (`--fixture PATH`, else the copy bundled with Micrograd).
    func fixture() throws -> MoonsFixture {
        if let loadedFixture { return loadedFixture }
        let fixture = try fixturePath.map { try MoonsFixture(contentsOf: URL(fileURLWithPath: $0)) }
            ?? MoonsFixture.bundled()
        loadedFixture = fixture
        return fixture
    }

    /// Records a figure and prints it as one line.
    func record(_ workload: String, _ variant: String, _ stats: BenchStats, inner: Int, extra: [String: Double] = [:]) {
        records.append(BenchRecord(workload: workload, key: currentKey, variant: variant, ns: stats, inner: inner,
                                   extra: extra))
        print("  \(workload) | \(variant): \(formatNs(stats.median)) [\(formatNs(stats.min)) - \(formatNs(stats.max))]")
        fflushStdout()
    }
}
