/// What an exported object provides, as the header declares it: the macros of its sizes and
/// its functions with their documentation. Emitters fill one in; `CHeader` prints it.
struct ExportManifest: Sendable {
    /// A `#define NAME_WHAT value` with its comment.
    struct Macro: Sendable {
        let suffix: String
        let value: Int
        let doc: String
    }

    /// One entry point: its symbol, its C prototype (without `;`) and its comment lines.
    struct Entry: Sendable {
        let symbol: String
        let prototype: String
        let doc: [String]
    }

    let name: String
    /// What was exported, a line each (`MLP(2, [16, 16, 1]): relu, relu, linear`).
    let summary: [String]
    let target: TargetDescription
    let options: ExportOptions
    let macros: [Macro]
    let entries: [Entry]
    /// A paragraph on the weights buffer, for `.callerBuffer` exports.
    let weightsLayout: [String]

    /// The C element type of inputs and outputs.
    var scalar: String { options.precision == .float32 ? "float" : "double" }
}
