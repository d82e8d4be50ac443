import ArgumentParser
import Foundation

/// `mgrad bench`: times the benchmark workloads (W1-W5 of ../shared/peers) on this package.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the benchmark workloads (interpreter and JIT) and print a table.",
        discussion: """
            Workloads (keys for --only; a group such as w3 selects w3 and w3-jit):
            \(BenchRegistry.all.map { "  \($0.key): \($0.summary)" }.joined(separator: "\n"))
            Each figure is the median (and min - max) of repeated samples of about 50 ms, after a
            warm-up, as the peers' scripts measure. Build with -c release for meaningful numbers.
            """
    )

    @Option(help: "Write every figure as JSON to this file.")
    var json: String?

    @Option(help: "Comma-separated workload keys or groups to run (default: all).")
    var only: String?

    @Option(help: "Samples per figure (default: per workload).")
    var repeats: Int?

    @Option(help: "The two-moons fixture (default: Micrograd's bundled moons.json).")
    var fixture: String?

    func validate() throws {
        if let repeats, repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        if let selection {
            let known = Set(BenchRegistry.all.flatMap { [$0.key, $0.group] })
            let unknown = selection.subtracting(known).sorted()
            if !unknown.isEmpty {
                throw ValidationError("unknown workload \(unknown.joined(separator: ", ")); known: \(known.sorted().joined(separator: ", "))")
            }
        }
    }

    private var selection: Set<String>? {
        only.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }) }
    }

    func run() throws {
        let context = BenchContext(repeatsOverride: repeats, fixturePath: fixture)
        let env = BenchReport.environment()
        if env["build"] == "debug" { print("warning: debug build; use `swift build -c release` for real figures") }
        let start = BenchClock.nowNs()
        for workload in BenchRegistry.all where workload.isSelected(by: selection) {
            print("\(workload.key): \(workload.summary)")
            fflushStdout()
            context.currentKey = workload.key
            try workload.run(context)
        }
        let report = BenchReport(env: env, results: context.records, totalSeconds: Double(BenchClock.nowNs() - start) * 1e-9)
        print("")
        print(report.table)
        print(String(format: "\ntotal %.1f s (checksum %g)", report.totalSeconds, context.timer.sink))
        if let json {
            try report.write(to: json)
            print("wrote \(json)")
        }
    }
}
