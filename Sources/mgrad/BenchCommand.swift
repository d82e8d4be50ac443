import ArgumentParser
import Foundation
import JIT

/// `mgrad bench`: times the benchmark workloads (W1-W6 of ../shared/peers) on this package.
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

    @Option(help: ArgumentHelp(
        "The most threads of batched inference (W4) and compiled training steps (W2, W6).",
        discussion: "Default: W4 runs on 1 and on 2 threads, training steps may use every active core."))
    var threads: Int?

    @Option(help: ArgumentHelp(
        "Generate code for this LLVM CPU instead of the host (haswell: AVX2+FMA, x86-64-v2: SSE).",
        discussion: "The processor must have that CPU's features for the code to run."))
    var cpu: String?

    @Option(help: ArgumentHelp(
        "cpu (the workloads above, the default) or cuda[:N]: the GPU figures instead.",
        discussion: """
            cuda: batched inference of MLP(2,[16,16,1]) (4,096 and 1,048,576 rows) and \
            MLP(784,[128,64,10]) (65,536 rows, Float64 and Float32), kernel alone and whole call, \
            and the MLP(2,[16,16,1]) training step (MSE, SGD, 1,048,576 rows). Needs an NVIDIA GPU \
            and its driver; without them the command ends with the reason.
            """))
    var device = "cpu"

    @Option(help: "With --device cuda: the rows of every GPU figure (default: the list above).")
    var rows: Int?

    @Flag(help: ArgumentHelp(
        "With --device cuda: run the GPU figures' code on the CPU device (checks the command without a GPU).",
        visibility: .hidden))
    var gpuDryRun = false

    /// `--device` as a `Device`.
    private var chosenDevice: Device {
        get throws {
            let text = device.trimmingCharacters(in: .whitespaces).lowercased()
            if text == "cpu" { return .cpu }
            if text == "cuda" { return .cuda(ordinal: 0) }
            if text.hasPrefix("cuda:"), let ordinal = Int(text.dropFirst(5)), ordinal >= 0 {
                return .cuda(ordinal: ordinal)
            }
            throw ValidationError("--device must be cpu, cuda or cuda:N, not \"\(device)\"")
        }
    }

    func validate() throws {
        let chosen = try chosenDevice
        if let rows {
            guard rows >= 1 else { throw ValidationError("--rows must be at least 1") }
            guard chosen != .cpu else { throw ValidationError("--rows applies to --device cuda") }
        }
        if gpuDryRun, chosen == .cpu { throw ValidationError("--gpu-dry-run applies to --device cuda") }
        if let repeats, repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let cpu, cpu.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--cpu needs a CPU name")
        }
        if let selection {
            let known = Set(BenchRegistry.all.flatMap { [$0.key, $0.group] })
            let unknown = selection.subtracting(known).sorted()
            if !unknown.isEmpty {
                let names = known.sorted().joined(separator: ", ")
                throw ValidationError("unknown workload \(unknown.joined(separator: ", ")); known: \(names)")
            }
        }
    }

    private var selection: Set<String>? {
        only.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }) }
    }

    func run() throws {
        let processor: JITOptions.Processor = cpu.map { .cpu($0) } ?? .host
        let context = try BenchContext(repeatsOverride: repeats, fixturePath: fixture, threads: threads,
                                       processor: processor)
        let env = BenchReport.environment(target: context.target, host: try TargetDescription.host(), threads: threads)
        if env["build"] == "debug" { print("warning: debug build; use `swift build -c release` for real figures") }
        let chosen = cpu.map { "--cpu \($0), host \(env["host_cpu"] ?? "?")" } ?? "host"
        print("target (\(chosen)): \(context.target)")
        print("threads: \(env["threads"] ?? "")")
        let start = BenchClock.nowNs()
        let chosenDevice = try chosenDevice
        if chosenDevice == .cpu {
            for workload in BenchRegistry.all where workload.isSelected(by: selection) {
                print("\(workload.key): \(workload.summary)")
                fflushStdout()
                context.currentKey = workload.key
                try workload.run(context)
            }
        } else {
            print("gpu: batched inference and the training step on \(chosenDevice)")
            fflushStdout()
            context.currentKey = "gpu"
            try GPUBench(device: gpuDryRun ? .cpu : chosenDevice, rows: rows, repeats: repeats).run(context)
        }
        let seconds = Double(BenchClock.nowNs() - start) * 1e-9
        let report = BenchReport(env: env, results: context.records, totalSeconds: seconds)
        print("")
        print(report.table)
        print(String(format: "\ntotal %.1f s (checksum %g)", report.totalSeconds, context.timer.sink))
        if let json {
            try report.write(to: json)
            print("wrote \(json)")
        }
    }
}
