import Foundation
import Micrograd
import Testing

@Suite("Fixture reading: the JSON reader and MoonsFixture's checks")
struct FixtureTests {
    @Test("the reader keeps number literals, resolves escapes and keeps member order")
    func parsesDocuments() throws {
        let text = #" { "b": [1, -0.5e-3, 2E+2, 0], "a": "x\n\"\u00e9\ud83d\ude00", "t": true, "n": null } "#
        let document = try JSONReader.parse(text)
        guard case .object(let members) = document else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a", "t", "n"])
        #expect(document["b"] == .array([.number("1"), .number("-0.5e-3"), .number("2E+2"), .number("0")]))
        #expect(document["a"] == .string("x\n\"é😀"))
        #expect(document["t"] == .bool(true))
        #expect(document["n"] == .null)
        #expect(document["missing"] == nil)
    }

    @Test("malformed documents are rejected with a position", arguments: [
        "", "[1,]", "{\"a\" 1}", "[01]", "[1.]", "[-]", "\"open", "[1] x", "{\"a\":1,}", "tru",
        "[\"a\u{01}\"]", "[\"\\q\"]",
    ])
    func rejectsMalformed(text: String) {
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(text) }
    }

    /// The failure `parse` throws for `bytes`, or nil (recorded as an issue) when it accepts them.
    static func failure(of bytes: [UInt8]) -> JSONReader.Failure? {
        do {
            _ = try JSONReader.parse(bytes)
            Issue.record("accepted \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            return nil
        } catch {
            return error
        }
    }

    @Test("a syntax error names its line and column (bytes, from 1) and its byte offset", arguments: [
        ("[1,\n 2,\n x]", "unexpected character 'x' at line 3, column 2", 9),
        ("{\"a\": 1\n\n   \"b\": 2}", "expected '}' at line 3, column 4", 12),
        ("[\"ok\",\n\"\u{7}\"]", "control character in a string at line 2, column 2", 8),
        ("[1,\n2", "expected ']' at line 2, column 2", 5),
    ])
    func syntaxErrorPosition(text: String, expected: String, offset: Int) {
        guard let failure = Self.failure(of: Array(text.utf8)) else { return }
        #expect(failure.description == expected)
        #expect(failure.offset == offset)
    }

    @Test("invalid UTF-8 in a string is an error at the start of its run of bytes", arguments: [
        [0x5B, 0x22, 0x61, 0xC3, 0x22, 0x5D],          // ["a<truncated 2-byte sequence>"]
        [0x5B, 0x22, 0x61, 0xFF, 0x22, 0x5D],          // a byte that never occurs in UTF-8
        [0x5B, 0x22, 0x61, 0xED, 0xA0, 0x80, 0x22, 0x5D],  // an encoded surrogate (U+D800)
        [0x5B, 0x22, 0x61, 0xC0, 0xAF, 0x22, 0x5D],    // an overlong '/'
    ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        guard let failure = Self.failure(of: bytes) else { return }
        #expect(failure.message == "invalid UTF-8 in a string")
        #expect(failure.offset == 2)
    }

    @Test("valid multi-byte UTF-8 is kept, around escapes too")
    func validUTF8() throws {
        let bytes: [UInt8] = [0x22, 0xC3, 0xA9, 0x5C, 0x6E, 0xF0, 0x9F, 0x98, 0x80, 0x22]  // "é\n😀"
        #expect(try JSONReader.parse(bytes) == .string("é\n😀"))
    }

    @Test("a byte that starts no value is named in hex, a printable one as a character")
    func unexpectedBytes() {
        #expect(Self.failure(of: [0xEF, 0xBB, 0xBF, 0x5B, 0x5D])?.description
            == "unexpected byte 0xEF at line 1, column 1")
        #expect(Self.failure(of: [0x5B, 0x09, 0x01, 0x5D])?.description == "unexpected byte 0x01 at line 1, column 3")
        #expect(Self.failure(of: Array("[@]".utf8))?.description == "unexpected character '@' at line 1, column 2")
    }

    @Test("deep nesting is an error, not a stack overflow")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(text) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONReader.parse(fine)) != nil)
    }

    /// A small valid fixture: layers [1, 1] (2 parameters), two points.
    static let small = """
        {"description": "tiny", "X": [[0.5], [-1]], "y": [1, -1], "layers": [1, 1],
         "initial_parameters": [0.25, 0], "log": [{"step": 0, "loss": 1.5, "accuracy": 0.5}],
         "final_parameters": [0.3, 0.1]}
        """

    @Test("a valid small fixture loads, numbers exact")
    func loadsSmallFixture() throws {
        let fixture = try MoonsFixture(json: Array(Self.small.utf8))
        #expect(fixture.inputs == [[0.5], [-1]])
        #expect(fixture.layers == [1, 1])
        #expect(fixture.parameterCount == 2)
        #expect(fixture.log == [MoonsFixture.LogEntry(step: 0, loss: 1.5, accuracy: 0.5)])
        #expect(try fixture.makeModel().storage.values == [0.25, 0])
    }

    @Test("bad fixtures throw badFile naming the problem", arguments: [
        ("{\"X\": [", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ("{\"description\": \"d\"}", "missing field \"X\""),
        (small.replacingOccurrences(of: "[[0.5], [-1]]", with: "[[0.5], [-1, 2]]"),
         "row 1 of \"X\" has 2 numbers, expected 1"),
        (small.replacingOccurrences(of: "\"y\": [1, -1]", with: "\"y\": [1, 0]"), "-1 and 1"),
        (small.replacingOccurrences(of: "\"y\": [1, -1]", with: "\"y\": [1]"), "\"y\" has 1 labels for 2 rows"),
        (small.replacingOccurrences(of: "[0.25, 0]", with: "[0.25]"), "\"initial_parameters\" has 1"),
        (small.replacingOccurrences(of: "[0.25, 0]", with: "[0.25, \"0\"]"),
         "element 1 of \"initial_parameters\" must be a number, got a string"),
        (small.replacingOccurrences(of: "\"step\": 0,", with: ""), "needs step, loss and accuracy"),
        (small.replacingOccurrences(of: "[0.3, 0.1]", with: "[0.3, 1e999]"),
         "element 1 of \"final_parameters\" is beyond the range of a Double: 1e999"),
    ])
    func rejectsBadFixtures(text: String, reason: String) {
        do {
            _ = try MoonsFixture(json: Array(text.utf8), path: "bad.json")
            Issue.record("accepted a bad fixture (expected: \(reason))")
        } catch let MicrogradError.badFile(path, message) {
            #expect(path == "bad.json")
            #expect(message.contains(reason), "\(message)")
        } catch {
            Issue.record("wrong error: \(error)")
        }
    }

    @Test("an unreadable file throws badFile with its path")
    func unreadableFile() {
        let url = URL(fileURLWithPath: "/nonexistent/moons.json")
        #expect {
            try MoonsFixture(contentsOf: url)
        } throws: { error in
            guard case let MicrogradError.badFile(path, reason) = error else { return false }
            return path == url.path && reason.contains("cannot read")
        }
    }
}
