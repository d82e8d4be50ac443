import Foundation
import WasmKit

/// A wasm32 export (`NAME.o`) linked by the toolchain's `wasm-ld` into `NAME.wasm` and
/// instantiated in WasmKit: `NAME_predict` and `NAME_predict_batch` called on inputs written
/// into the module's own memory at `__heap_base`, outputs read back from just after them.
///
/// NOTE: this file imports WasmKit but not Micrograd: both have a `Value` and a `Module`.
struct WasmExport {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let name: String
    let inputCount: Int
    let outputCount: Int
    /// The linked module's size in bytes.
    let wasmBytes: Int
    private let instance: Instance
    private let memory: Memory
    private let heapBase: Int

    /// Links `object` into `NAME.wasm` beside it (`--no-entry --export-dynamic`, plus
    /// `__heap_base`) and instantiates it with no imports: the object must need none.
    init(object: URL, name: String, inputCount: Int, outputCount: Int) throws {
        let wasm = object.deletingPathExtension().appendingPathExtension("wasm")
        let flags = ["--no-entry", "--export-dynamic", "--export=__heap_base"]
        try CProgram.run(executable: Self.wasmLD(), flags + [object.path, "-o", wasm.path])
        try self.init(wasm: wasm, name: name, inputCount: inputCount, outputCount: outputCount)
    }

    /// Instantiates an already linked module (as `scripts/web-demo` links `Examples/Web/moons.wasm`).
    init(wasm: URL, name: String, inputCount: Int, outputCount: Int) throws {
        self.name = name
        self.inputCount = inputCount
        self.outputCount = outputCount
        let bytes = try [UInt8](Data(contentsOf: wasm))
        wasmBytes = bytes.count
        let module = try parseWasm(bytes: bytes)
        instance = try module.instantiate(store: Store(engine: Engine()))
        guard let memory = instance.exports[memory: "memory"] else {
            throw Failure(description: "\(wasm.path) exports no memory")
        }
        guard case .i32(let base)? = instance.exports[global: "__heap_base"]?.value else {
            throw Failure(description: "\(wasm.path) exports no i32 __heap_base")
        }
        self.memory = memory
        heapBase = Int(base)
    }

    /// The names of the functions the module exports, sorted.
    var exportedFunctions: [String] {
        instance.exports.compactMap { export in
            if case .function = export.value { export.name } else { nil }
        }.sorted()
    }

    /// `wasm-ld` beside the real `swift` executable found on PATH (the toolchain CI uses ships
    /// it), else /opt/swift/usr/bin/wasm-ld. Throws, naming where it looked, when there is none.
    static func wasmLD() throws -> URL {
        var candidates: [URL] = []
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let swift = URL(fileURLWithPath: String(directory)).appendingPathComponent("swift")
            if FileManager.default.isExecutableFile(atPath: swift.path) {
                let toolchain = swift.resolvingSymlinksInPath().deletingLastPathComponent()
                candidates.append(toolchain.appendingPathComponent("wasm-ld"))
                break
            }
        }
        candidates.append(URL(fileURLWithPath: "/opt/swift/usr/bin/wasm-ld"))
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw Failure(description: "wasm-ld not found (looked at \(candidates.map(\.path).joined(separator: ", "))); "
            + "it ships with the Swift toolchain, next to `swift`")
    }

    /// `NAME_predict` on one sample (`T` is the export's precision: Double or Float).
    func predict<T: BinaryFloatingPoint & BitwiseCopyable>(_ input: [T]) throws -> [T] {
        try call("\(name)_predict", rows: [input], batched: false)[0]
    }

    /// `NAME_predict_batch` on all `rows` at once.
    func predictBatch<T: BinaryFloatingPoint & BitwiseCopyable>(_ rows: [[T]]) throws -> [[T]] {
        try call("\(name)_predict_batch", rows: rows, batched: true)
    }

    private func call<T: BinaryFloatingPoint & BitwiseCopyable>(
        _ symbol: String, rows: [[T]], batched: Bool
    ) throws -> [[T]] {
        guard let function = instance.exports[function: symbol] else {
            throw Failure(description: "no export \(symbol)")
        }
        let size = MemoryLayout<T>.size
        let inputBytes = rows.count * inputCount * size, outputBytes = rows.count * outputCount * size
        let input = heapBase, output = (heapBase + inputBytes + 15) & ~15
        guard output + outputBytes <= memory.byteCount else {
            throw Failure(description: "\(rows.count) rows do not fit the module's \(memory.byteCount) bytes of memory")
        }
        memory.withUnsafeMutableBufferPointer(offset: UInt(input), count: inputBytes) { buffer in
            for (index, value) in rows.joined().enumerated() {
                buffer.storeBytes(of: value, toByteOffset: index * size, as: T.self)
            }
        }
        // Poison the outputs, so a row the call does not write cannot pass as a result.
        memory.withUnsafeMutableBufferPointer(offset: UInt(output), count: outputBytes) { buffer in
            _ = buffer.initializeMemory(as: UInt8.self, repeating: 0xFF)
        }
        var arguments: [WasmKit.Value] = [.i32(UInt32(input)), .i32(UInt32(output))]
        if batched { arguments.append(.i32(UInt32(rows.count))) }
        let results = try function(arguments)
        guard results.isEmpty else { throw Failure(description: "\(symbol) returned \(results), expected nothing") }
        return memory.withUnsafeBufferPointer(offset: UInt(output), count: outputBytes) { buffer in
            (0..<rows.count).map { row in
                (0..<outputCount).map { buffer.load(fromByteOffset: (row * outputCount + $0) * size, as: T.self) }
            }
        }
    }
}
