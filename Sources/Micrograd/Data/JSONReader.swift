/// A parsed JSON document, with numbers kept as their literal text.
///
/// NOTE: numbers are not converted while parsing. `Double(String)` on the literal is correctly
/// rounded; Foundation's `JSONSerialization` on Linux reads many floats 1 ulp off, which is
/// enough to break a 1e-12 reproduction of a training log.
public indirect enum JSONValue: Equatable, Sendable {
    /// An object, with its members in document order.
    case object([(key: String, value: JSONValue)])
    /// An array.
    case array([JSONValue])
    /// A number, as written in the document (`-1`, `0.5`, `1e-4`).
    case number(String)
    /// A string, with escapes resolved.
    case string(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// Structural equality; numbers compare by their literal text.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(a), .array(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// The member named `key` of an object (nil for a missing key or a non-object).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// A small, strict JSON reader (RFC 8259) over UTF-8 bytes.
///
/// Recursive descent with a nesting limit, so hostile input gives an error, not a stack
/// overflow. Errors are `JSONReader.Failure` with the line, column and byte offset of the
/// problem. Strings must be valid UTF-8.
public struct JSONReader {
    /// Why a document could not be read.
    public struct Failure: Error, CustomStringConvertible {
        /// What was wrong.
        public let message: String
        /// The byte offset where the problem was found.
        public let offset: Int
        /// The line of ``offset``, from 1 (lines end at a line feed).
        public let line: Int
        /// The column of ``offset`` in its line, in bytes, from 1.
        public let column: Int
        /// The message with its position: `expected ']' at line 3, column 7`.
        public var description: String { "\(message) at line \(line), column \(column)" }
    }

    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 256

    let bytes: [UInt8]
    var position = 0

    /// Parses a whole document: one value, optionally surrounded by whitespace.
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw reader.failure("unexpected text after the document") }
        return value
    }

    /// Parses a document given as text.
    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func failure(_ message: String) -> Failure {
        let offset = Swift.min(position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return Failure(message: message, offset: offset, line: line, column: offset - lineStart + 1)
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            position += 1
        }
    }

    mutating func expect(_ literal: String) throws(Failure) {
        for byte in literal.utf8 {
            guard current == byte else { throw failure("expected '\(literal)'") }
            position += 1
        }
    }

    private mutating func readValue(depth: Int) throws(Failure) -> JSONValue {
        guard depth < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
        skipWhitespace()
        guard let byte = current else { throw failure("unexpected end of the document") }
        switch byte {
        case UInt8(ascii: "{"): return try readObject(depth: depth)
        case UInt8(ascii: "["): return try readArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw failure("unexpected \(Self.describe(byte))")
        }
    }

    private mutating func readObject(depth: Int) throws(Failure) -> JSONValue {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let key = try readString()
            skipWhitespace()
            try expect(":")
            members.append((key, try readValue(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect("}")
            return .object(members)
        }
    }

    private mutating func readArray(depth: Int) throws(Failure) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            elements.append(try readValue(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect("]")
            return .array(elements)
        }
    }

    /// Reads a number's literal text, checking the JSON number grammar.
    private mutating func readNumber() throws(Failure) -> String {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = readDigits()
        guard integerDigits > 0 else { throw failure("expected a digit") }
        if bytes[integerStart] == UInt8(ascii: "0"), integerDigits > 1 {
            throw failure("leading zero in a number")
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard readDigits() > 0 else { throw failure("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard readDigits() > 0 else { throw failure("expected a digit in the exponent") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// A byte for a message: `character 'x'` when printable ASCII, `byte 0xC3` otherwise.
    static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "character '\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex(byte))"
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    private mutating func readDigits() -> Int {
        let start = position
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
        return position - start
    }
}
