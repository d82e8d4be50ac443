/// Settings for ``DOT/render(_:options:)-(Value,_)``: layout direction, number precision, graph name.
public struct DOTOptions: Sendable, Equatable {
    /// The direction Graphviz lays the graph out in (its `rankdir` attribute).
    public enum RankDirection: String, Sendable, CaseIterable {
        /// Operands on the left, results on the right (micrograd's `draw_dot` default).
        case leftToRight = "LR"
        /// Operands on top, results below.
        case topToBottom = "TB"
    }

    /// The layout direction; `.leftToRight` by default.
    public var rankDirection: RankDirection
    /// Digits after the decimal point for `data` and `grad` (micrograd prints `%.4f`).
    public var fractionDigits: Int
    /// The name after `digraph`; escaped like any label.
    public var graphName: String

    /// Creates options; the defaults reproduce micrograd's `draw_dot` pictures.
    public init(
        rankDirection: RankDirection = .leftToRight,
        fractionDigits: Int = 4,
        graphName: String = "micrograd"
    ) {
        self.rankDirection = rankDirection
        self.fractionDigits = fractionDigits
        self.graphName = graphName
    }
}
