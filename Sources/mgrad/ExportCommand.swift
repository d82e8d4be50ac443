import ArgumentParser
import Foundation
import JIT
import Micrograd

/// `mgrad export moons|--model FILE --out DIR`: a trained model as an object file, a C header
/// and a module map, for this machine or another target.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a trained model as an object file and a C header (for apps without LLVM).",
        discussion: """
            moons: trains the two-moons classifier on the compiled-in fixture as `mgrad train moons` does \
            (100 SGD steps from the fixture's weights), then exports it. --model FILE exports a checkpoint \
            written by `mgrad train digits|csv --save FILE` instead.

            Writes NAME.o, NAME.h and module.modulemap into --out (NAME.weights too with --weights caller): \
            void NAME_predict(const double *input, double *output) and \
            void NAME_predict_batch(const double *inputs, double *outputs, size_t rows) (float with \
            --precision f32). Link NAME.o into a C, C++ or Swift program (and -lm on Linux).

            --target: the host by default (its CPU and all its features); any triple this LLVM has, e.g. \
            x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu, arm64-apple-macosx, arm64-apple-ios, \
            wasm32-unknown-unknown (link with wasm-ld --no-entry --export-dynamic --export=__heap_base). \
            Cross targets get the \
            baseline CPU unless --cpu names one.
            """)

    enum Task: String, ExpressibleByArgument, CaseIterable { case moons }
    enum PrecisionChoice: String, ExpressibleByArgument, CaseIterable { case f64, f32 }
    enum WeightsChoice: String, ExpressibleByArgument, CaseIterable { case embedded, caller }

    @Argument(help: "What to train and export: moons (omit with --model).")
    var task: Task?

    @Option(name: .long, help: ArgumentHelp("Export this checkpoint (mgrad train ... --save FILE).", valueName: "file"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Directory to write the files into (created if missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: "Symbol prefix and file name, a C identifier (default: moons, or the checkpoint's name).")
    var name: String?

    @Option(name: .long, help: ArgumentHelp("An LLVM target triple (default: this machine).", valueName: "triple"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("The CPU to generate for (default: host, or generic for --target).", valueName: "name"))
    var cpu: String?

    @Option(name: .long, help: ArgumentHelp("Extra CPU features, e.g. +simd128 or +avx2,+fma.", valueName: "list"))
    var features: String = ""

    @Option(name: .long, help: "f64 (double entry points, the interpreter's bits) or f32 (float).")
    var precision: PrecisionChoice = .f64

    @Option(name: .long, help: "exact (default) or fast (fused multiply-adds).")
    var numerics: JITOptions.Numerics = .exact

    @Option(name: .long, help: "embedded (weights inside the object, default) or caller (passed as an argument).")
    var weights: WeightsChoice = .embedded

    @Option(name: .long, help: ArgumentHelp(
        "With moons: write the interpreter's scores of the fixture points, `x y label score` a line (for scripts).",
        valueName: "file", visibility: .hidden))
    var scores: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --scores: score these points too (`x y` a line), after the fixture's, with label 0.",
        valueName: "file", visibility: .hidden))
    var scorePoints: String?

    func validate() throws {
        if (task == nil) == (model == nil) {
            throw ValidationError("give either a task (moons) or --model FILE")
        }
        if scores != nil, task == nil { throw ValidationError("--scores applies to moons") }
        if scorePoints != nil, scores == nil { throw ValidationError("--score-points applies with --scores") }
        if cpu != nil, target == nil, cpu != "host" {
            throw ValidationError("--cpu applies with --target; for this machine use the default (host)")
        }
    }

    func run() throws {
        let (mlp, defaultName) = try makeModel()
        let exportTarget: ExportTarget = target.map { .triple($0, cpu: cpu ?? "generic", features: features) } ?? .host
        let options = ExportOptions(
            precision: precision == .f32 ? .float32 : .float64, numerics: numerics,
            weights: weights == .caller ? .callerBuffer : .embedded)
        let start = ContinuousClock.now
        let files = try Export.model(
            mlp, name: name ?? defaultName, to: URL(fileURLWithPath: out, isDirectory: true), target: exportTarget,
            options: options)
        let elapsed = ContinuousClock.now - start
        if let scores { try Self.writeScores(of: mlp, to: scores, extraPoints: scorePoints) }
        print("exported \(files.name) for \(files.target.triple) (\(files.target.cpu)) in \(Self.milliseconds(elapsed)):")
        print(files.description.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))
    }

    /// The model to export and its default name.
    private func makeModel() throws -> (MLP, String) {
        if let model {
            let mlp = try MLP.load(from: URL(fileURLWithPath: model))
            let stem = URL(fileURLWithPath: model).deletingPathExtension().lastPathComponent
            let identifier = String(stem.map { $0.isLetter || $0.isNumber ? $0 : "_" })
            return (mlp, identifier.first?.isNumber == false ? identifier : "model_\(identifier)")
        }
        let data = try MoonsFixture.bundled()
        let mlp = try data.makeModel()
        let trainer = Trainer.karpathyMoons(model: mlp, steps: data.log.count)
        let start = ContinuousClock.now
        _ = try trainer.fit(data.dataset, steps: data.log.count)
        let accuracy = try Evaluation.accuracy(of: mlp, on: data.dataset, objective: trainer.objective)
        print("trained moons: \(data.log.count) steps in \(Self.milliseconds(ContinuousClock.now - start)), "
            + "accuracy \(String(format: "%.1f%%", accuracy * 100))")
        return (mlp, "moons")
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f ms", Double(seconds) * 1e3 + Double(attoseconds) * 1e-15)
    }
}
