import Foundation
import Micrograd

/// Ahead-of-time export: a trained model or a graph as an object file and a C header, for this
/// machine or any target the linked LLVM has, so apps can run it without LLVM.
///
/// ```swift
/// let files = try Export.model(mlp, name: "moons", to: URL(filePath: "out"))
/// // out/moons.o, out/moons.h, out/module.modulemap
/// //   void moons_predict(const double *input, double *output);
/// //   void moons_predict_batch(const double *inputs, double *outputs, size_t rows);
/// try Export.model(mlp, name: "moons", to: URL(filePath: "web"), target: .wasm32)
/// ```
///
/// The object holds the JIT's own kernels for the target, so it computes what `jit(mlp)`
/// computes there: in exact Float64 the interpreter's bits. It depends on nothing but the C
/// math library (and on wasm32 not even that), is position-independent, and exports only the
/// functions its header declares.
///
/// Every export either writes all its files or none: they are generated in memory, written to a
/// temporary folder inside the destination and moved into place together; a failure removes
/// what it wrote.
public enum Export {
    /// Exports `mlp`'s forward pass, with its current parameters, as `NAME.o`, `NAME.h` and
    /// `module.modulemap` in `directory` (created if missing), plus `NAME.weights` when
    /// `options.weights` is `.callerBuffer`.
    ///
    /// - Throws: `JITError.exportFailed` for a name that is not a C identifier or a directory
    ///   that cannot be written; `JITError.unsupportedTarget` for a target this LLVM lacks;
    ///   `JITError.llvm` / `.verification` if LLVM fails.
    @discardableResult
    public static func model(
        _ mlp: MLP, name: String, to directory: URL, target: ExportTarget = .host,
        options: ExportOptions = .default
    ) throws -> ExportedFiles {
        try ExportName.validate(name)
        let description = try target.targetDescription()
        let exported = ExportedMLP(
            shape: try MLPShape(mlp), name: name, parameters: mlp.storage.values, options: options, target: description)
        let (object, manifest) = try ExportCompiler.compile(
            name: name, target: description, options: options, kind: .model
        ) { try exported.emit(into: $0) }
        var weights: [UInt8]?
        if options.weights == .callerBuffer {
            weights = mlp.storage.values.flatMap { value in
                withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
            }
        }
        return try ExportWriter.write(object: object, manifest: manifest, weights: weights, to: directory)
    }

    /// Exports the graph of `outputs` as a function of `inputs` (`NAME_evaluate`), and with
    /// `options.gradient` its value and derivatives (`NAME_value_and_gradient`). Leaves not
    /// listed in `inputs` are constants at their current `data`.
    ///
    /// - Throws: `JITError.exportFailed` for a bad name or directory, or a gradient asked of a
    ///   graph with several outputs; `JITError.unsupportedOperation` for an op the JIT cannot
    ///   lower; `JITError.invalidGraph` for no outputs or an input that is not a leaf;
    ///   `JITError.unsupportedTarget`, `.llvm`, `.verification` as `model` does.
    @discardableResult
    public static func graph(
        _ outputs: [Value], inputs: [Value], name: String, to directory: URL, target: ExportTarget = .host,
        options: ExportOptions = .default
    ) throws -> ExportedFiles {
        try ExportName.validate(name)
        guard !outputs.isEmpty else { throw JITError.invalidGraph("nothing to compute: no outputs were given") }
        let description = try target.targetDescription()
        let exported = ExportedGraph(
            program: try Program(outputs: outputs, inputs: inputs), name: name, options: options, target: description)
        let (object, manifest) = try ExportCompiler.compile(
            name: name, target: description, options: options, kind: .graph
        ) { try exported.emit(into: $0) }
        return try ExportWriter.write(object: object, manifest: manifest, weights: nil, to: directory)
    }
}
