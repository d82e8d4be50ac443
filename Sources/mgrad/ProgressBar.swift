import Foundation

/// A one-line progress bar on standard error, redrawn in place; silent unless standard error
/// is a terminal and the work has enough steps to be worth showing.
struct ProgressBar {
    /// The fewest steps an epoch needs for the bar to be drawn.
    static let minimumSteps = 20
    private let enabled: Bool
    private let width = 30

    /// A bar that draws only when `wanted` and standard error is a terminal.
    init(wanted: Bool) {
        enabled = wanted && isatty(STDERR_FILENO) != 0
    }

    /// Redraws the bar for `done` of `total` steps (at most about 50 times per run of steps).
    func update(label: String, done: Int, total: Int) {
        guard enabled, total >= Self.minimumSteps else { return }
        let every = max(1, total / 50)
        guard done % every == 0 || done == total else { return }
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    /// Erases the bar (before a progress line is printed in its place).
    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
