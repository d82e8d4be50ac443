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
