import ArgumentParser

/// `mgrad`: the command-line front end of Micrograd (autograd engine, tracing, JIT).
@main
struct Mgrad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mgrad",
        abstract: "A scalar autograd engine with a small neural-network library and an LLVM JIT.",
        version: "0.1.0",
        subcommands: [
            TrainCommand.self, EvalCommand.self, ExportCommand.self, DotCommand.self, IRCommand.self, BenchCommand.self,
            GPUCheckCommand.self,
        ]
    )
}
