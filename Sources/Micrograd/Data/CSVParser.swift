/// The byte-level work of ``CSVTable``: lines, fields and numbers, each error with its line and
/// column.
struct CSVParser {
    /// One line of the file that is not blank or a comment, without its line ending.
    struct Line {
        /// The line's number, from 1.
        let number: Int
        let bytes: ArraySlice<UInt8>
    }

    let path: String
    let separator: UInt8

    init(path: String, separator: UInt8) {
        self.path = path
        self.separator = separator
    }

    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let numberCharacters = Set("0123456789+-.eE".utf8)

    /// The lines that hold a header or data: blank lines and `#` comments left out.
    func significantLines(of bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var number = 0
        var start = bytes.startIndex
        while start <= bytes.endIndex {
            number += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var line = bytes[start..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            let content = Self.trimmed(line)
            if !content.isEmpty && content.first != UInt8(ascii: "#") {
                lines.append(Line(number: number, bytes: line))
            }
            start = end + 1
        }
        return lines
    }

    /// The line's fields, split at each separator (not trimmed).
    func fields(of line: Line) -> [ArraySlice<UInt8>] {
        line.bytes.split(separator: separator, omittingEmptySubsequences: false)
    }

    /// The header's column names, trimmed.
    func names(in line: Line) throws -> [String] {
        try fields(of: line).enumerated().map { index, field in
            guard let name = String(validating: Self.trimmed(field), as: UTF8.self) else {
                throw error(line, index, "the column name is not UTF-8 text")
            }
            return name
        }
    }

    /// The line's numbers; it must have `width` fields.
    func numbers(in line: Line, expecting width: Int) throws -> [Double] {
        let fields = fields(of: line)
        guard fields.count == width else {
            let column = min(fields.count, width)
            let noun = fields.count == 1 ? "field" : "fields"
            throw error(line, column, "\(fields.count) \(noun), expected \(width)")
        }
        return try fields.enumerated().map { index, field in try number(field, line: line, index: index) }
    }

    /// A decimal number, finite.
    private func number(_ field: ArraySlice<UInt8>, line: Line, index: Int) throws -> Double {
        let text = Self.trimmed(field)
        guard !text.isEmpty else { throw error(line, index, "empty field") }
        let plain = String(decoding: text, as: UTF8.self)
        let shown = Self.shown(text)
        let lowered = plain.lowercased()
        let signless = lowered.hasPrefix("+") || lowered.hasPrefix("-") ? String(lowered.dropFirst()) : lowered
        if ["nan", "inf", "infinity"].contains(signless) {
            throw error(line, index, "\(shown) is not a finite number")
        }
        // NOTE: only the characters of a decimal number reach Double(String), which would also
        // take hexadecimal ("0x1p3") and words ("nan").
        guard text.allSatisfy(Self.numberCharacters.contains), let value = Double(plain) else {
            throw error(line, index, "\(shown) is not a number")
        }
        guard value.isFinite else { throw error(line, index, "\(shown) is beyond the range of a Double") }
        return value
    }

    /// A bad-record error at the field with index `index` (from 0) of `line`.
    func error(_ line: Line, _ index: Int, _ reason: String) -> MicrogradError {
        .badRecord(path: path, line: line.number, column: index + 1, reason: reason)
    }

    /// The bytes without spaces and tabs at either end.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isBlank = { (byte: UInt8) in byte == space || byte == tab }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }),
              let last = bytes.lastIndex(where: { !isBlank($0) }) else { return [] }
        return bytes[first...last]
    }

    /// A field as it is shown in a message: quoted, at most 40 characters, invalid UTF-8 replaced.
    static func shown(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return bytes.count > 40 ? "\"\(text)...\"" : "\"\(text)\""
    }
}
