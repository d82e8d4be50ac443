import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Checkpoint {
    /// The checkpoint as JSON text (the documented version-1 format), one number per element.
    ///
    /// - Throws: `MicrogradError.badCheckpoint` with ``CheckpointProblem/nonFinite(_:)`` naming
    ///   the first NaN or infinity, or ``CheckpointProblem/wrongShape(_:)`` when the parameter
    ///   count does not match the architecture.
    public func jsonText() throws -> String {
        try validateShape()
        var out = "{\n"
        out += "  \"format\": \(Self.quoted(Self.format)),\n"
        out += "  \"version\": \(Self.version),\n"
        out += "  \"inputs\": \(inputCount),\n"
        out += "  \"layers\": [\(layerSizes.map(String.init).joined(separator: ", "))],\n"
        out += "  \"activations\": [\(activations.map { Self.quoted($0.rawValue) }.joined(separator: ", "))],\n"
        out += "  \"parameters\": \(try Self.numbers(parameters, name: "parameters")),\n"
        out += "  \"step\": \(step),\n"
        out += "  \"state\": {"
        let keys = state.keys.sorted()
        for (index, key) in keys.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "    \(Self.quoted(key)): \(try Self.numbers(state[key] ?? [], name: "state \"\(key)\""))"
        }
        out += keys.isEmpty ? "}\n" : "\n  }\n"
        out += "}\n"
        return out
    }

    /// Writes the checkpoint to `url` atomically: to a temporary file in the same directory,
    /// then renamed over `url`, so a reader sees the old file or the new one, never a part.
    ///
    /// - Throws: `MicrogradError.badCheckpoint` with ``CheckpointProblem/nonFinite(_:)`` or
    ///   ``CheckpointProblem/wrongShape(_:)`` (see ``jsonText()``), or
    ///   ``CheckpointProblem/unreadable(_:)`` when the file cannot be written.
    public func write(to url: URL) throws {
        guard step >= 0 else {
            let problem = CheckpointProblem.malformed("step must be at least 0, got \(step)")
            throw MicrogradError.badCheckpoint(path: url.path, problem: problem)
        }
        let text: String
        do {
            text = try jsonText()
        } catch MicrogradError.badCheckpoint(_, let problem) {
            throw MicrogradError.badCheckpoint(path: url.path, problem: problem)
        }
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw MicrogradError.badCheckpoint(path: url.path, problem: .unreadable(error.localizedDescription))
        }
        guard rename(temporary.path, url.path) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw MicrogradError.badCheckpoint(path: url.path, problem: .unreadable("rename failed: \(message)"))
        }
    }

    /// `[a, b, ...]` with each number's shortest round-trip spelling.
    private static func numbers(_ values: [Double], name: String) throws -> String {
        var out = "["
        for (index, value) in values.enumerated() {
            guard value.isFinite else {
                throw MicrogradError.badCheckpoint(
                    path: "<memory>", problem: .nonFinite("element \(index) of \(name) is \(value)"))
            }
            if index > 0 { out += ", " }
            out += value.description  // NOTE: shortest digits that read back to the same bits.
        }
        return out + "]"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
