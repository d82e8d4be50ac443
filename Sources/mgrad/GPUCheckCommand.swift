import ArgumentParser
import Foundation
import JIT

/// `mgrad gpu-check`: the GPU equivalence checks and timings, for a machine with an NVIDIA GPU.
///
/// Prints one line per check (`PASS` / `FAIL`), the timings (`TIME`), and a final
/// `N passed, M failed`; exits 1 when a check failed or there is no GPU. Runs from a packed
/// binary (scripts/gpu-check): it reads no resource bundle.
struct GPUCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpu-check",
        abstract: "Run the GPU kernels against the interpreter and time them (needs an NVIDIA GPU).",
        discussion: """
            Compiles MLP(2,[16,16,1]) and MLP(784,[128,64,10]) for the GPU in Float64 and \
            Float32, compares every output with the interpreter's order (the CPU JIT, itself bit \
            for bit the interpreter in Float64, and the interpreter on the first rows), checks \
            the bounds check, syncToDevice and the driver's error log for bad PTX, then times \
            kernels and whole calls at a few batch sizes. Training: 100 two-moons steps on the \
            GPU against the interpreter (losses and parameters bit for bit), the parameter syncs, \
            and MLP(784,[128,64,10]) steps on 256 rows (hinge, softmax) against the CPU trainer, timed.
            """
    )

    @Option(help: "CUDA device ordinal.")
    var ordinal = 0

    @Flag(help: "Fewer rows and repetitions (a smoke test).")
    var quick = false

    @Flag(help: "Run the checks on the CPU device instead (tests this command on a machine without a GPU).")
    var cpuDryRun = false

    func run() throws {
        var report = GPUCheckReport()
        let device: Device = cpuDryRun ? .cpu : .cuda(ordinal: ordinal)
        GPUCheckSuite(device: device, quick: quick).run(into: &report)
        if !report.deviceMissing {
            GPUTrainingChecks(device: device, quick: quick).run(into: &report)
            GPUTimings(device: device, quick: quick).run(into: &report)
        }
        print("\(report.passed) passed, \(report.failed) failed")
        if report.failed > 0 { throw ExitCode(1) }
    }
}

/// The lines of a `gpu-check` run and its counts.
struct GPUCheckReport {
    private(set) var passed = 0
    private(set) var failed = 0
    /// Set when no GPU could be used: the remaining checks are not run.
    var deviceMissing = false

    /// Records and prints one check.
    mutating func check(_ name: String, _ ok: Bool, _ detail: String = "") {
        if ok { passed += 1 } else { failed += 1 }
        print("\(ok ? "PASS" : "FAIL") \(name)\(detail.isEmpty ? "" : ": \(detail)")")
        fflushStdout()
    }

    /// Runs `body`; a thrown error is a failed check named `name`.
    mutating func attempt(_ name: String, _ body: (inout GPUCheckReport) throws -> Void) {
        do { try body(&self) } catch { check(name, false, "\(error)") }
    }

    /// Prints an informational line (timings, device).
    func info(_ line: String) {
        print(line)
        fflushStdout()
    }
}
