/// The buffers of the GPU training step, in the order the kernels take them.
enum GPUTrainingBuffer: Int, CaseIterable {
    case parameters, gradients, mask, work, rows, targets, result, state0, state1, state2, common
}

/// The scalar arguments of a launch: the rows of the batch, the step's learning rate, the L2
/// coefficient and `1 / terms`.
struct GPUTrainingScalars {
    let rows: Int
    let rate: Double
    let alpha: Double
    let inverseCount: Double
}

/// Where the GPU-shaped training step runs: a CUDA device (`CUDATrainingBackend`), or the same
/// per-thread functions compiled for this processor and called thread by thread
/// (`HostTrainingBackend`, how the tests check the GPU step's numerics without a GPU).
///
/// Every buffer but `work`, `rows` and `targets` has a fixed size from creation: `parameters`,
/// `gradients`, `mask` and the three `state` buffers one double per parameter, `result` 2,
/// `common` 4.
protocol GPUTrainingBackend: AnyObject {
    /// Copies `values` to the start of `buffer`.
    func write(_ values: [Double], to buffer: GPUTrainingBuffer) throws
    /// The first `count` doubles of `buffer` (waits for the launched work first).
    func read(_ buffer: GPUTrainingBuffer, count: Int) throws -> [Double]
    /// Copies the batch's rows and targets, growing `rows`, `targets` and `work` (to `workCount`
    /// doubles) when the batch needs more.
    func load(_ batch: TrainingBatch, workCount: Int) throws
    /// Runs `entry` on `threads` threads (queued on a GPU: a later `read` waits for it).
    func run(_ entry: GPUTrainingEmitter.Entry, threads: Int, _ scalars: GPUTrainingScalars) throws
    /// `NVIDIA H200 (sm_90)`, or `host` for the host backend.
    var deviceName: String { get }
}
