/// Every workload `mgrad bench` knows, in the order they run.
enum BenchRegistry {
    static let all: [BenchWorkload] = [
        .w1Interpreted,
        .w3Interpreted,
        .w2Interpreted,
        .w2Compiled,
        .w3Compiled,
        .w4Batched,
        .w5CompileLatency,
        .w6Multiclass,
        .w7Dag,
        .w7Long,
        .w7Chain,
        .w7Gradient,
        .w7MLP,
        .w7MLPGradient,
        .w8Export,
    ]
}
