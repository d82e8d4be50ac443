import ArgumentParser
import Foundation
import Micrograd

/// `mgrad dot EXAMPLE`: the Graphviz DOT of an example graph after backward(), or its SVG.
struct DotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dot",
        abstract: "Print the Graphviz DOT of an example graph (data and grad per node), or render it to SVG.",
        discussion: """
            The graph is built and backward() is run first, so every node shows its gradient.
            Without options the DOT text goes to standard output. --svg runs Graphviz's `dot`
            (it must be installed) and writes the picture to a file.
            """
    )

    @Argument(help: ArgumentHelp("The example graph.", discussion: ExampleGraph.helpList))
    var example: ExampleGraph

    @Option(name: .long, help: ArgumentHelp("Write an SVG picture to this file (needs Graphviz `dot`).", valueName: "file"))
    var svg: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Write the DOT text to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: "Layout direction: LR (left to right) or TB (top to bottom).")
    var rankdir: DOTOptions.RankDirection = .leftToRight

    func run() throws {
        let root = example.buildWithGradients()
        let text = DOT.render(root, options: DOTOptions(rankDirection: rankdir))
        if let svg {
            let picture = try Graphviz.render(text, format: "svg")
            try write(picture, to: svg)
        }
        if let output {
            try write(Data(text.utf8), to: output)
        } else if svg == nil {
            print(text, terminator: "")
        }
    }

    /// Writes `data` to `path`, with the path in the error message when that fails.
    private func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw MicrogradError.badFile(path: path, reason: error.localizedDescription)
        }
    }
}

extension DOTOptions.RankDirection: ExpressibleByArgument {}
