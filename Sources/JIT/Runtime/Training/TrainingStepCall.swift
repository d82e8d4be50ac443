import Foundation

/// The compiled phases of a training step (`TrainingEmitter.Phase`), as Swift function pointers.
struct TrainingPhases: @unchecked Sendable {
    typealias Entry = @convention(c) (
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafePointer<Double>?,
        UnsafePointer<Double>?, Int64, Double, Double, Double, UnsafeMutablePointer<Double>,
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
        UnsafeMutablePointer<Double>, Int64, Int64
    ) -> Void

    /// `@train_step`: every phase on the calling thread.
    typealias Step = @convention(c) (
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafePointer<Double>?,
        UnsafePointer<Double>?, Int64, Double, Double, Double, UnsafeMutablePointer<Double>,
        UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
        UnsafeMutablePointer<Double>
    ) -> Void

    let prepare: Entry, rows: Entry, loss: Entry, grads: Entry, update: Entry
    let step: Step

    /// Looks up every phase in `code` (compiled from one `TrainingEmitter.emit` module).
    init(_ code: NativeCode) throws {
        func entry(_ phase: TrainingEmitter.Phase) throws -> Entry {
            try code.entry(named: phase.symbol, as: Entry.self)
        }
        prepare = try entry(.prepare)
        rows = try entry(.rows)
        loss = try entry(.loss)
        grads = try entry(.grads)
        update = try entry(.update)
        step = try code.entry(named: TrainingEmitter.stepName, as: Step.self)
    }
}

/// One step's raw pointers and sizes: what each worker thread needs, with no reference-counted
/// object in it.
///
/// `@unchecked Sendable`: the workers of the `rows` phase write disjoint rows of `work`, those
/// of the `grads` phase disjoint gradients, and all only read the rest; the caller keeps every
/// buffer alive until the step returns.
struct TrainingStepCall: @unchecked Sendable {
    let phases: TrainingPhases
    let parameters: UnsafeMutablePointer<Double>, gradients: UnsafeMutablePointer<Double>
    let mask: UnsafeMutablePointer<Double>, transposed: UnsafeMutablePointer<Double>
    let work: UnsafeMutablePointer<Double>
    let rows: UnsafePointer<Double>?, targets: UnsafePointer<Double>?
    let count: Int
    let rate: Double, alpha: Double, inverseCount: Double
    let result: UnsafeMutablePointer<Double>
    let state0: UnsafeMutablePointer<Double>, state1: UnsafeMutablePointer<Double>
    let state2: UnsafeMutablePointer<Double>
    let common: UnsafeMutablePointer<Double>

    /// Runs `entry` for the range `begin..<end` (rows or gradient tiles).
    func callAsFunction(_ entry: TrainingPhases.Entry, _ begin: Int = 0, _ end: Int = 0) {
        entry(parameters, gradients, mask, transposed, work, rows, targets, Int64(count), rate, alpha, inverseCount,
              result, state0, state1, state2, common, Int64(begin), Int64(end))
    }

    /// The number of parameters from which the update is split over the step's threads
    /// (otherwise the calling thread runs it).
    ///
    /// NOTE (performance): the update takes about a nanosecond per parameter or less (the
    /// MNIST-size step, 109,386 parameters: SGD 66 us; digits, 2,410 parameters: Adam 5.8 us,
    /// divisions and a square root each), and waking a second thread costs a microsecond or
    /// more, so only models of tens of thousands of parameters gain: measured on a 2-core Xeon
    /// (AVX-512, KVM), the MNIST-size update took 46-56 us on two threads. The weight copy
    /// (`prepare`, 37 us there) gained nothing on two threads (36-55 us), so it runs on the
    /// calling thread.
    static let splitParameters = 1 << 15

    /// The whole step on up to `workers` threads (one: `@train_step`): prepare (on the
    /// calling thread); rows (runs of whole row tiles); loss; and, when the loss is finite,
    /// gradient tiles and the update (runs of parameters, split only for models of at least
    /// ``splitParameters`` parameters). Returns the loss.
    ///
    /// NOTE (numerics): a row's values, a gradient tile's sums and a parameter's update do
    /// not depend on which call computes them, so every split gives the same bits; each phase
    /// ends before the next one starts (`parallelFor` returns when all its items are done).
    func run(layout: TrainingLayout, workers: Int) -> Double {
        if workers <= 1 {
            phases.step(parameters, gradients, mask, transposed, work, rows, targets, Int64(count), rate, alpha,
                        inverseCount, result, state0, state1, state2, common)
            return result[0]
        }
        self(phases.prepare, 0, layout.transposeItems)
        // About four runs of rows per worker, each a whole number of row tiles, so a slowed
        // core takes fewer of them.
        let rowTile = layout.tiling.rows
        let tiles = (count + rowTile - 1) / rowTile
        split(phases.rows, items: count, run: Swift.max(1, tiles / (workers * 4)) * rowTile, workers: workers)
        self(phases.loss)
        let loss = result[0]
        guard loss.isFinite else { return loss }
        split(phases.grads, items: layout.gradientItems, workers: workers)
        let updateWorkers = layout.parameterCount >= Self.splitParameters ? workers : 1
        split(phases.update, items: layout.updateItems, workers: updateWorkers)
        return loss
    }

    /// Runs `entry` on the items `0..<items` (rows or work items) on up to `workers` threads, in
    /// runs of `run` items, one call each.
    private func split(_ entry: TrainingPhases.Entry, items: Int, run: Int = 1, workers: Int) {
        let call = self
        let runs = (items + run - 1) / run
        parallelFor(items: runs, workers: workers) { claim in
            while let index = claim() { call(entry, index * run, Swift.min(items, (index + 1) * run)) }
        }
    }
}
