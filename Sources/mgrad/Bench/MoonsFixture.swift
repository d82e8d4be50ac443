import Foundation
import Micrograd

/// The two-moons fixture bundled with Micrograd (`Resources/moons.json`): 100 points, their
/// ±1 labels, the 337 initial parameters of MLP(2,[16,16,1]) and the notebook's loss log.
struct MoonsFixture {
    var points: [[Double]]
    var labels: [Double]
    var initialParameters: [Double]
    /// The loss at the start of each step, as logged by the reference implementation.
    var loggedLosses: [Double]

    /// Reads the fixture from `path`, or from the Micrograd resource bundle next to the executable.
    static func load(path: String?) throws -> MoonsFixture {
        let candidates = path.map { [$0] } ?? defaultLocations()
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }),
              let data = FileManager.default.contents(atPath: found) else {
            throw MicrogradError.badFile(path: candidates.joined(separator: " or "), reason: "moons.json not found (pass --fixture PATH)")
        }
        var parser = MiniJSON(bytes: [UInt8](data))
        guard case let .object(root) = try parser.parse() else {
            throw MicrogradError.badFile(path: found, reason: "not a JSON object")
        }
        func numbers(_ value: MiniJSON.Value?) throws -> [Double] {
            guard case let .array(items)? = value else { throw MicrogradError.badFile(path: found, reason: "expected an array") }
            return try items.map {
                guard case let .number(x) = $0 else { throw MicrogradError.badFile(path: found, reason: "expected a number") }
                return x
            }
        }
        guard case let .array(rows)? = root["X"], case let .array(log)? = root["log"] else {
            throw MicrogradError.badFile(path: found, reason: "missing X or log")
        }
        let losses: [Double] = log.compactMap {
            if case let .object(entry) = $0, case let .number(loss)? = entry["loss"] { return loss }
            return nil
        }
        return MoonsFixture(
            points: try rows.map { try numbers($0) }, labels: try numbers(root["y"]),
            initialParameters: try numbers(root["initial_parameters"]), loggedLosses: losses)
    }

    /// Where SwiftPM puts Micrograd's resources: a bundle directory beside the executable.
    private static func defaultLocations() -> [String] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let directory = executable.deletingLastPathComponent()
        return [
            directory.appendingPathComponent("Micrograd_Micrograd.resources/moons.json").path,
            directory.appendingPathComponent("Micrograd_Micrograd.bundle/moons.json").path,
            "Sources/Micrograd/Resources/moons.json",
        ]
    }
}

/// A minimal JSON reader whose numbers are parsed by `Double(String)` on the literal text.
///
/// NOTE: Foundation's `JSONSerialization` on Linux reads about 60% of the fixture's floats one
/// ulp off; `Double(String)` is exact (correctly rounded).
struct MiniJSON {
    indirect enum Value {
        case number(Double), string(String), bool(Bool), null
        case array([Value]), object([String: Value])
    }

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parse() throws -> Value {
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var object: [String: Value] = [:]
            while true {
                skipSpace()
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
                guard case let .string(key) = try parse() else { throw fail("expected a key") }
                skipSpace(); try expect(":")
                object[key] = try parse()
                skipSpace()
                if bytes[index] == UInt8(ascii: ",") { index += 1 }
            }
        case UInt8(ascii: "["):
            index += 1
            var array: [Value] = []
            while true {
                skipSpace()
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
                array.append(try parse())
                skipSpace()
                if bytes[index] == UInt8(ascii: ",") { index += 1 }
            }
        case UInt8(ascii: "\""):
            index += 1
            let start = index
            while bytes[index] != UInt8(ascii: "\"") { index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1 }
            index += 1
            return .string(String(decoding: bytes[start..<index - 1], as: UTF8.self))
        case UInt8(ascii: "t"): index += 4; return .bool(true)
        case UInt8(ascii: "f"): index += 5; return .bool(false)
        case UInt8(ascii: "n"): index += 4; return .null
        default:
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            guard let number = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else { throw fail("bad number") }
            return .number(number)
        }
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ character: Character) throws {
        guard index < bytes.count, bytes[index] == character.asciiValue else { throw fail("expected \(character)") }
        index += 1
    }

    private func fail(_ reason: String) -> MicrogradError {
        .badFile(path: "moons.json", reason: "\(reason) at byte \(index)")
    }
}
