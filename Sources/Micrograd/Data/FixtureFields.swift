/// Typed access to the members of a fixture's top-level JSON object.
///
/// Every problem throws `MicrogradError.badFile` naming the member, and the element or row
/// within it (`element 3 of "layers" must be a whole number, got 2.5`). Numbers must be finite
/// (a literal such as `1e999` is out of a Double's range and rejected, not read as infinity);
/// integers must be whole and in `Int`'s range, checked without trapping.
struct FixtureFields {
    let members: [(key: String, value: JSONValue)]
    let path: String

    /// Parses `json` and takes the document's members, as ``init(document:path:)``.
    ///
    /// - Throws: `MicrogradError.badFile` naming the line and column of a JSON syntax error.
    init(json: [UInt8], path: String) throws {
        let document: JSONValue
        do {
            document = try JSONReader.parse(json)
        } catch {
            throw MicrogradError.badFile(path: path, reason: "not valid JSON: \(error)")
        }
        try self.init(document: document, path: path)
    }

    /// Takes the document's members, rejecting a non-object or a member named twice.
    init(document: JSONValue, path: String) throws {
        self.path = path
        guard case .object(let members) = document else {
            let reason = "the document is \(Self.kind(of: document)), not a JSON object"
            throw MicrogradError.badFile(path: path, reason: reason)
        }
        if let name = Self.firstDuplicate(in: members) {
            throw MicrogradError.badFile(path: path, reason: "field \"\(name)\" appears more than once")
        }
        self.members = members
    }

    func bad(_ reason: String) -> MicrogradError {
        .badFile(path: path, reason: reason)
    }

    /// What a JSON value is, for messages: "a string", "an array", ...
    static func kind(of value: JSONValue) -> String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .number: "a number"
        case .string: "a string"
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        }
    }

    static func firstDuplicate(in members: [(key: String, value: JSONValue)]) -> String? {
        var seen = Set<String>()
        return members.first { !seen.insert($0.key).inserted }?.key
    }

    private func member(_ key: String) throws -> JSONValue {
        guard let value = members.first(where: { $0.key == key })?.value else { throw bad("missing field \"\(key)\"") }
        return value
    }

    private func array(_ key: String) throws -> [JSONValue] {
        let value = try member(key)
        guard case .array(let elements) = value else {
            throw bad("field \"\(key)\" must be an array, got \(Self.kind(of: value))")
        }
        return elements
    }

    /// A finite number, converted exactly (`Double(String)` is correctly rounded); `place` names it.
    func number(_ value: JSONValue, at place: String) throws -> Double {
        guard case .number(let text) = value else {
            throw bad("\(place) must be a number, got \(Self.kind(of: value))")
        }
        guard let number = Double(text) else { throw bad("\(place) is not a number: \(text)") }
        guard number.isFinite else { throw bad("\(place) is beyond the range of a Double: \(text)") }
        return number
    }

    /// A whole number within `Int`'s range. A literal with a fraction or exponent is accepted
    /// when its value is whole and below 2^53 (so the Double holding it is exact).
    func integer(_ value: JSONValue, at place: String) throws -> Int {
        guard case .number(let text) = value else {
            throw bad("\(place) must be a whole number, got \(Self.kind(of: value))")
        }
        if let integer = Int(text) { return integer }
        guard let number = Double(text), number.isFinite, number == number.rounded(.towardZero) else {
            throw bad("\(place) must be a whole number, got \(text)")
        }
        guard abs(number) <= 0x1p53, let integer = Int(exactly: number) else {
            throw bad("\(place) is out of range: \(text)")
        }
        return integer
    }

    /// A whole-number field (see `integer(_:at:)`).
    func integer(_ key: String) throws -> Int {
        try integer(member(key), at: "field \"\(key)\"")
    }

    func string(_ key: String) throws -> String {
        let value = try member(key)
        guard case .string(let text) = value else {
            throw bad("field \"\(key)\" must be a string, got \(Self.kind(of: value))")
        }
        return text
    }

    func numbers(_ key: String) throws -> [Double] {
        try array(key).enumerated().map { index, element in
            try number(element, at: "element \(index) of \"\(key)\"")
        }
    }

    func integers(_ key: String) throws -> [Int] {
        try array(key).enumerated().map { index, element in
            try integer(element, at: "element \(index) of \"\(key)\"")
        }
    }

    func matrix(_ key: String) throws -> [[Double]] {
        try array(key).enumerated().map { rowIndex, row in
            guard case .array(let elements) = row else {
                throw bad("row \(rowIndex) of \"\(key)\" must be an array, got \(Self.kind(of: row))")
            }
            return try elements.enumerated().map { index, element in
                try number(element, at: "element \(index) of row \(rowIndex) of \"\(key)\"")
            }
        }
    }

    /// The training log: objects with a whole `step` equal to their index, a finite `loss` and
    /// an `accuracy` in [0, 1].
    func log(_ key: String) throws -> [MoonsFixture.LogEntry] {
        try array(key).enumerated().map { index, entry in
            let place = "entry \(index) of \"\(key)\""
            guard case .object(let fields) = entry else {
                throw bad("\(place) must be an object, got \(Self.kind(of: entry))")
            }
            if let name = Self.firstDuplicate(in: fields) { throw bad("\(place) has \"\(name)\" more than once") }
            func field(_ name: String) throws -> JSONValue {
                guard let value = fields.first(where: { $0.key == name })?.value else {
                    throw bad("\(place) needs step, loss and accuracy; \"\(name)\" is missing")
                }
                return value
            }
            let step = try integer(field("step"), at: "\"step\" of \(place)")
            guard step == index else { throw bad("\(place) has step \(step), expected \(index)") }
            let loss = try number(field("loss"), at: "\"loss\" of \(place)")
            let accuracy = try number(field("accuracy"), at: "\"accuracy\" of \(place)")
            guard (0...1).contains(accuracy) else {
                throw bad("\"accuracy\" of \(place) must be in [0, 1], got \(accuracy)")
            }
            return MoonsFixture.LogEntry(step: step, loss: loss, accuracy: accuracy)
        }
    }
}
