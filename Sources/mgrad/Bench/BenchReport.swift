import Foundation
import JIT

/// Flushes standard output (progress lines appear while long workloads run).
func fflushStdout() { fflush(nil) }

/// The figures of one `mgrad bench` run, as printed and as written with `--json`.
struct BenchReport: Codable {
    /// Build and machine facts (compare ratios across runs, not absolute times).
    var env: [String: String]
    /// Every figure, in run order.
    var results: [BenchRecord]
    /// Wall time of the whole run, seconds.
    var totalSeconds: Double

    /// A Markdown table: one row per figure.
    var table: String {
        var lines = ["| workload | variant | median / call | min - max | samples x calls |", "|---|---|---|---|---|"]
        for r in results {
            lines.append("| \(r.workload) | \(r.variant) | \(formatNs(r.ns.median)) | \(formatNs(r.ns.min)) - \(formatNs(r.ns.max)) | \(r.ns.n) x \(r.inner) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the report as pretty-printed JSON (nanoseconds everywhere).
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(self).write(to: url)
    }

    /// What the figures were measured on: the machine, the processor the code was compiled for
    /// (`target`: CPU name, vector width, FMA) and the thread limit (`--threads`).
    static func environment(target: TargetDescription, host: TargetDescription, threads: Int?) -> [String: String] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var env: [String: String] = [
            "tool": "mgrad bench",
            "processors": String(cores),
            "target": target.description,
            "target_cpu": target.cpu,
            "target_vector_bits": String(target.vectorBits),
            "target_fma": String(target.hasFMA),
            "host_cpu": host.cpu,
            "threads": threads.map(String.init)
                ?? "default (W4: 1 and 2; compiled training: every active core, \(cores))",
            "os": ProcessInfo.processInfo.operatingSystemVersionString,
            "method": "median/min/max of repeated samples of about 50 ms each after one warm-up sample "
                + "(W2: one sample per 100-step run; W5: one sample per compilation)",
        ]
        #if DEBUG
        env["build"] = "debug"
        #else
        env["build"] = "release"
        #endif
        return env
    }
}
