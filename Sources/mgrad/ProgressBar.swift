import Foundation

/// A one-line progress bar on standard error, redrawn in place; silent unless standard error
/// is a terminal, and drawn only in long runs of steps (after the first second of an epoch).
final class ProgressBar {
    /// How long a run of steps goes before the bar appears.
    static let delay = Duration.seconds(1)
    private let enabled: Bool
    private let width = 30
    private var start = ContinuousClock.now
    private var shown = false

    /// A bar that draws only when `wanted` and standard error is a terminal.
    init(wanted: Bool) {
        enabled = wanted && isatty(STDERR_FILENO) != 0
    }

    /// Redraws the bar for `done` of `total` steps (at most about 50 times per run of steps);
    /// `done == 1` starts a new run.
    func update(label: String, done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        if done == 1 { start = ContinuousClock.now }
        guard ContinuousClock.now - start >= Self.delay else { return }
        let every = max(1, total / 50)
        guard done % every == 0 || done == total else { return }
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
        shown = true
    }

    /// Erases the bar, if one is shown (before a progress line is printed in its place).
    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        shown = false
    }
}
