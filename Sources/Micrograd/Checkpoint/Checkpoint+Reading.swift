import Foundation

extension Checkpoint {
    /// Loads a checkpoint file.
    ///
    /// - Throws: `MicrogradError.badCheckpoint` with ``CheckpointProblem/missing`` when there
    ///   is no file, ``CheckpointProblem/unreadable(_:)`` when it cannot be read, or any
    ///   problem of ``init(json:path:)``.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MicrogradError.badCheckpoint(path: url.path, problem: .missing)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MicrogradError.badCheckpoint(path: url.path, problem: .unreadable(error.localizedDescription))
        }
        try self.init(json: Array(data), path: url.path)
    }

    /// Parses a checkpoint from the bytes of a file; `path` names it in error messages.
    ///
    /// Only the document is checked here, including that the parameter count matches the
    /// architecture; no network is built (``makeModel(path:)`` does that).
    ///
    /// - Throws: `MicrogradError.badCheckpoint` with ``CheckpointProblem/truncated`` (the bytes
    ///   end inside the document), ``CheckpointProblem/wrongMagic(_:)`` (not a JSON object, or
    ///   no `"format": "micrograd-checkpoint"`), ``CheckpointProblem/unsupportedVersion(_:)``,
    ///   ``CheckpointProblem/wrongShape(_:)``, or ``CheckpointProblem/malformed(_:)`` naming the
    ///   field and element.
    public init(json bytes: [UInt8], path: String = "<memory>") throws {
        func fail(_ problem: CheckpointProblem) -> MicrogradError { .badCheckpoint(path: path, problem: problem) }
        let document: JSONValue
        do {
            document = try JSONReader.parse(bytes)
        } catch {
            if error.offset >= bytes.count { throw fail(.truncated) }
            let first = bytes.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
            if first != UInt8(ascii: "{") { throw fail(.wrongMagic("the file does not start with a JSON object")) }
            throw fail(.malformed("not valid JSON: \(error)"))
        }
        guard case .object(let members) = document else {
            throw fail(.wrongMagic("the document is not a JSON object"))
        }
        let fields = CheckpointFields(members: members, path: path)
        guard case .string(let format)? = document["format"], format == Self.format else {
            throw fail(.wrongMagic("the \"format\" field is not \"\(Self.format)\""))
        }
        let version = try fields.integer(fields.member("version"), at: "field \"version\"")
        guard version == Self.version else { throw fail(.unsupportedVersion(version)) }
        if let name = FixtureFields.firstDuplicate(in: members) {
            throw fail(.malformed("field \"\(name)\" appears more than once"))
        }
        let inputs = try fields.integer(fields.member("inputs"), at: "field \"inputs\"")
        let layers = try fields.array("layers").enumerated().map { index, element in
            try fields.integer(element, at: "element \(index) of \"layers\"")
        }
        let activations = try fields.array("activations").enumerated().map { index, element in
            guard case .string(let name) = element, let activation = Activation(rawValue: name) else {
                let known = Activation.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail(.malformed("element \(index) of \"activations\" must be one of \(known)"))
            }
            return activation
        }
        // NOTE: the count is checked against the architecture before anything is allocated.
        let parameters = try fields.numbers(fields.array("parameters"), name: "\"parameters\"")
        var step = 0
        if let value = document["step"] {
            step = try fields.integer(value, at: "field \"step\"")
            guard step >= 0 else { throw fail(.malformed("field \"step\" must be at least 0, got \(step)")) }
        }
        var state: [String: [Double]] = [:]
        if let value = document["state"] {
            guard case .object(let entries) = value else {
                throw fail(.malformed("field \"state\" must be an object, got \(FixtureFields.kind(of: value))"))
            }
            for entry in entries {
                guard state[entry.key] == nil else {
                    throw fail(.malformed("state \"\(entry.key)\" appears more than once"))
                }
                guard case .array(let elements) = entry.value else {
                    throw fail(.malformed("state \"\(entry.key)\" must be an array of numbers"))
                }
                state[entry.key] = try fields.numbers(elements, name: "state \"\(entry.key)\"")
            }
        }
        self.init(inputCount: inputs, layerSizes: layers, activations: activations, parameters: parameters,
                  step: step, state: state)
        try validateShape(path: path)
    }
}

/// Typed access to a checkpoint's fields; every problem is a ``CheckpointProblem/malformed(_:)``.
struct CheckpointFields {
    let members: [(key: String, value: JSONValue)]
    let path: String

    func malformed(_ message: String) -> MicrogradError {
        .badCheckpoint(path: path, problem: .malformed(message))
    }

    func member(_ key: String) throws -> JSONValue {
        guard let value = members.first(where: { $0.key == key })?.value else {
            throw malformed("missing field \"\(key)\"")
        }
        return value
    }

    func array(_ key: String) throws -> [JSONValue] {
        let value = try member(key)
        guard case .array(let elements) = value else {
            throw malformed("field \"\(key)\" must be an array, got \(FixtureFields.kind(of: value))")
        }
        return elements
    }

    /// A whole number within `Int`'s range, written without a fraction or exponent.
    func integer(_ value: JSONValue, at place: String) throws -> Int {
        guard case .number(let text) = value, let integer = Int(text) else {
            throw malformed("\(place) must be a whole number, got \(Self.spelling(of: value))")
        }
        return integer
    }

    /// Finite numbers, each converted exactly by the correctly rounded `Double(String)`.
    func numbers(_ elements: [JSONValue], name: String) throws -> [Double] {
        try elements.enumerated().map { index, element in
            guard case .number(let text) = element, let number = Double(text) else {
                throw malformed("element \(index) of \(name) must be a number, got \(Self.spelling(of: element))")
            }
            guard number.isFinite else {
                throw malformed("element \(index) of \(name) is beyond the range of a Double: \(text)")
            }
            return number
        }
    }

    /// A number's literal, or what kind of value it is.
    static func spelling(of value: JSONValue) -> String {
        if case .number(let text) = value { return String(text.prefix(40)) }
        return FixtureFields.kind(of: value)
    }
}
