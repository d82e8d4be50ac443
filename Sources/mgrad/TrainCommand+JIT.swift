import Foundation
import JIT
import Micrograd

extension TrainCommand {
    /// `--jit`: the same training as `trainer.fit`, one native call per step (`CompiledTrainer`),
    /// with the compile time and the time per step printed after the progress lines.
    func fitCompiled(
        _ trainer: Trainer, _ dataset: Dataset, steps: Int, progress: @escaping (TrainingProgress) -> Void
    ) throws -> [TrainingProgress] {
        let compiled = try JIT.jit(trainer)
        let start = ContinuousClock.now
        let reports = try compiled.fit(dataset, steps: steps, progress: progress)
        let elapsed = ContinuousClock.now - start
        let perStep = reports.isEmpty ? Duration.zero : elapsed / reports.count
        let compile = Self.jitMilliseconds(compiled.compileDuration)
        let total = Self.jitMilliseconds(elapsed)
        print("""
            jit: compiled in \(compile); \(Self.jitMilliseconds(perStep)) per step \
            (\(reports.count) steps in \(total), progress printing included)
            """)
        return reports
    }

    private static func jitMilliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.4f ms", Double(seconds) * 1e3 + Double(attoseconds) * 1e-15)
    }
}
