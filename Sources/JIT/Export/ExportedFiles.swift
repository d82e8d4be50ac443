import Foundation

/// What an export wrote: the object, its C header, a module map, and the weights file when
/// the weights stay outside the object.
public struct ExportedFiles: Sendable, Hashable, CustomStringConvertible {
    /// The C identifier that prefixes every symbol and macro (`moons` gives `moons_predict`).
    public let name: String
    /// The target the object was generated for.
    public let target: TargetDescription
    /// `NAME.o`: the object file (ELF, Mach-O, COFF or wasm, as the target's system uses).
    public let object: URL
    /// `NAME.h`: sizes and entry points, documented.
    public let header: URL
    /// `module.modulemap`: lets Swift import the header as module `NAME`.
    public let moduleMap: URL
    /// `NAME.weights`: the parameters as raw little-endian IEEE values, for `.callerBuffer`.
    public let weights: URL?
    /// The exported functions' symbols, as the header declares them.
    public let functions: [String]
    /// The object's size in bytes.
    public let objectBytes: Int

    /// One line per file written.
    public var description: String {
        var lines = ["\(object.path)  (\(objectBytes) bytes, \(target.triple), \(target.cpu))",
                     "\(header.path)  (\(functions.joined(separator: ", ")))", moduleMap.path]
        if let weights { lines.append(weights.path) }
        return lines.joined(separator: "\n")
    }
}
