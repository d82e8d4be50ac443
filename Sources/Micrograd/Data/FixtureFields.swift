/// Typed access to the members of a fixture's top-level JSON object, throwing
/// `MicrogradError.badFile` with the member's name when one is missing or of the wrong shape.
struct FixtureFields {
    let document: JSONValue
    let path: String

    private func bad(_ reason: String) -> MicrogradError {
        .badFile(path: path, reason: reason)
    }

    private func member(_ key: String) throws -> JSONValue {
        guard case .object = document else { throw bad("the document is not a JSON object") }
        guard let value = document[key] else { throw bad("missing field \"\(key)\"") }
        return value
    }

    /// Converts a number literal exactly (`Double(String)` is correctly rounded).
    private func number(_ value: JSONValue, in key: String) throws -> Double {
        guard case .number(let text) = value, let number = Double(text) else {
            throw bad("field \"\(key)\" must hold numbers")
        }
        return number
    }

    func string(_ key: String) throws -> String {
        guard case .string(let text) = try member(key) else { throw bad("field \"\(key)\" must be a string") }
        return text
    }

    func numbers(_ key: String) throws -> [Double] {
        guard case .array(let elements) = try member(key) else { throw bad("field \"\(key)\" must be an array") }
        return try elements.map { try number($0, in: key) }
    }

    func matrix(_ key: String) throws -> [[Double]] {
        guard case .array(let rows) = try member(key) else { throw bad("field \"\(key)\" must be an array of rows") }
        return try rows.map { row in
            guard case .array(let elements) = row else { throw bad("field \"\(key)\" must be an array of rows") }
            return try elements.map { try number($0, in: key) }
        }
    }

    func log(_ key: String) throws -> [MoonsFixture.LogEntry] {
        guard case .array(let entries) = try member(key) else { throw bad("field \"\(key)\" must be an array") }
        return try entries.enumerated().map { index, entry in
            guard case .object = entry,
                  let step = entry["step"], let loss = entry["loss"], let accuracy = entry["accuracy"]
            else { throw bad("entry \(index) of \"\(key)\" needs step, loss and accuracy") }
            let stepNumber = try number(step, in: key)
            guard let stepIndex = Int(exactly: stepNumber) else { throw bad("entry \(index) of \"\(key)\" has a non-integer step") }
            return MoonsFixture.LogEntry(
                step: stepIndex, loss: try number(loss, in: key), accuracy: try number(accuracy, in: key))
        }
    }
}
