import Foundation
@testable import Micrograd
import Testing

/// Every way a moons fixture's fields can be wrong gives `MicrogradError.badFile` naming the
/// field (and the element, row or log entry), never a trap: integers that are negative, huge,
/// fractional or out of a Double's range, wrong types, missing fields, wrong lengths, deep
/// nesting and truncated text.
@Suite("Fixture validation: each bad field is a thrown error naming it")
struct FixtureValidationTests {
    static let small = FixtureTests.small

    /// `small` with `old` replaced by `new` (the replacement must happen).
    static func edited(_ old: String, _ new: String) -> String {
        precondition(small.contains(old), "the small fixture has no \(old)")
        return small.replacingOccurrences(of: old, with: new)
    }

    /// The reason `MoonsFixture(json:)` gives for `text`, or nil (recorded) when it is accepted.
    static func reason(for text: String) -> String? {
        reason(for: Array(text.utf8))
    }

    static func reason(for bytes: [UInt8]) -> String? {
        do {
            _ = try MoonsFixture(json: bytes, path: "bad.json")
            Issue.record("accepted a bad fixture")
        } catch let MicrogradError.badFile(path, message) {
            #expect(path == "bad.json")
            return message
        } catch {
            Issue.record("wrong error: \(error)")
        }
        return nil
    }

    @Test("layer widths: huge, negative, zero, fractional, out of range, too few, overflowing", arguments: [
        ("[1, 1e30]", "element 1 of \"layers\" is out of range: 1e30"),
        ("[1, 9223372036854775808]", "element 1 of \"layers\" is out of range: 9223372036854775808"),
        ("[1, -9223372036854775809]", "element 1 of \"layers\" is out of range: -9223372036854775809"),
        ("[1, 1e999]", "element 1 of \"layers\" must be a whole number, got 1e999"),
        ("[1, -1e999]", "element 1 of \"layers\" must be a whole number, got -1e999"),
        ("[1, 1.5]", "element 1 of \"layers\" must be a whole number, got 1.5"),
        ("[1, 1e-1]", "element 1 of \"layers\" must be a whole number, got 1e-1"),
        ("[1, -1]", "invalid shape: layer 0 must have at least 1 neuron, got -1"),
        ("[1, 0]", "invalid shape: layer 0 must have at least 1 neuron, got 0"),
        ("[0, 1]", "invalid shape: the number of inputs must be at least 1, got 0"),
        ("[-5, 1]", "invalid shape: the number of inputs must be at least 1, got -5"),
        ("[1]", "\"layers\" must hold the input width and at least one layer, got [1]"),
        ("[]", "\"layers\" must hold the input width and at least one layer, got []"),
        ("[1, 9223372036854775807]", "invalid shape: more than 2147483647 parameters"),
        ("[9223372036854775807, 1]", "invalid shape: more than 2147483647 parameters"),
        ("[1, 3074457345618258603, 1]", "invalid shape: more than 2147483647 parameters"),
        ("[2, 100000, 100000]", "invalid shape: more than 2147483647 parameters (at layer 1"),
        ("[1, 2]", "\"layers\" [1, 2] have 4 parameters; \"initial_parameters\" has 2"),
    ])
    func layerWidths(layers: String, expected: String) {
        let message = Self.reason(for: Self.edited("\"layers\": [1, 1]", "\"layers\": \(layers)"))
        #expect(message?.contains(expected) == true, "\(message ?? "")")
    }

    @Test("whole numbers written with a fraction or exponent are accepted",
          arguments: ["[1, 1.0]", "[1.0e0, 1]", "[1, 10e-1]"])
    func wholeNumbersInOtherForms(layers: String) throws {
        let fixture = try MoonsFixture(json: Array(Self.edited("\"layers\": [1, 1]", "\"layers\": \(layers)").utf8))
        #expect(fixture.layers == [1, 1])
    }

    @Test("wrong types and missing fields name the field and element", arguments: [
        ("\"layers\": [1, 1]", "\"layers\": \"1,1\"", "field \"layers\" must be an array, got a string"),
        ("\"layers\": [1, 1]", "\"layers\": [1, \"1\"]",
         "element 1 of \"layers\" must be a whole number, got a string"),
        ("\"layers\": [1, 1]", "\"layers\": [1, null]", "element 1 of \"layers\" must be a whole number, got null"),
        ("\"layers\": [1, 1]", "\"layers\": [true, 1]", "element 0 of \"layers\" must be a whole number, got true"),
        ("\"layers\": [1, 1]", "\"layers\": [[1], 1]", "element 0 of \"layers\" must be a whole number, got an array"),
        ("\"layers\": [1, 1],", "", "missing field \"layers\""),
        ("\"description\": \"tiny\"", "\"description\": 7", "field \"description\" must be a string, got a number"),
        ("\"X\": [[0.5], [-1]]", "\"X\": [0.5, [-1]]", "row 0 of \"X\" must be an array, got a number"),
        ("\"X\": [[0.5], [-1]]", "\"X\": [[0.5], [{}]]", "element 0 of row 1 of \"X\" must be a number, got an object"),
        ("\"X\": [[0.5], [-1]]", "\"X\": [[0.5], [-1e400]]",
         "element 0 of row 1 of \"X\" is beyond the range of a Double"),
        ("\"X\": [[0.5], [-1]]", "\"X\": {}", "field \"X\" must be an array, got an object"),
        ("\"y\": [1, -1]", "\"y\": [1, false]", "element 1 of \"y\" must be a number, got false"),
        ("\"y\": [1, -1]", "\"y\": [1, -1.5]", "element 1 of \"y\" is -1.5; \"y\" must hold only -1 and 1"),
        ("[0.3, 0.1]", "null", "field \"final_parameters\" must be an array, got null"),
    ])
    func wrongTypes(old: String, new: String, expected: String) {
        let message = Self.reason(for: Self.edited(old, new))
        #expect(message?.contains(expected) == true, "\(message ?? "")")
    }

    @Test("wrong lengths name both counts", arguments: [
        ("\"X\": [[0.5], [-1]]", "\"X\": [[0.5], [-1, 2]]", "row 1 of \"X\" has 2 numbers, expected 1"),
        ("\"X\": [[0.5], [-1]]", "\"X\": [[0.5], []]", "row 1 of \"X\" has 0 numbers, expected 1"),
        ("\"X\": [[0.5], [-1]], \"y\": [1, -1]", "\"X\": [], \"y\": []", "\"X\" has no rows"),
        ("\"y\": [1, -1]", "\"y\": [1, -1, 1]", "\"y\" has 3 labels for 2 rows"),
        ("[0.25, 0]", "[0.25, 0, 1]", "\"initial_parameters\" has 3, \"final_parameters\" 2"),
        ("[0.3, 0.1]", "[]", "\"initial_parameters\" has 2, \"final_parameters\" 0"),
        ("[{\"step\": 0, \"loss\": 1.5, \"accuracy\": 0.5}]", "[]", "\"log\" has no entries"),
    ])
    func wrongLengths(old: String, new: String, expected: String) {
        let message = Self.reason(for: Self.edited(old, new))
        #expect(message?.contains(expected) == true, "\(message ?? "")")
    }

    @Test("log entries: each field checked, steps in order", arguments: [
        ("{\"step\": 0, \"loss\": 1.5, \"accuracy\": 0.5}", "7", "entry 0 of \"log\" must be an object, got a number"),
        ("\"step\": 0,", "\"step\": 1,", "entry 0 of \"log\" has step 1, expected 0"),
        ("\"step\": 0,", "\"step\": 0.5,", "\"step\" of entry 0 of \"log\" must be a whole number, got 0.5"),
        ("\"step\": 0,", "\"step\": 1e300,", "\"step\" of entry 0 of \"log\" is out of range: 1e300"),
        ("\"step\": 0,", "\"step\": \"0\",", "\"step\" of entry 0 of \"log\" must be a whole number, got a string"),
        ("\"loss\": 1.5,", "", "\"loss\" is missing"),
        ("\"loss\": 1.5,", "\"loss\": 1e309,", "\"loss\" of entry 0 of \"log\" is beyond the range of a Double: 1e309"),
        ("\"accuracy\": 0.5", "\"accuracy\": 1.5", "\"accuracy\" of entry 0 of \"log\" must be in [0, 1], got 1.5"),
        ("\"accuracy\": 0.5", "\"accuracy\": 0.5, \"step\": 0", "entry 0 of \"log\" has \"step\" more than once"),
    ])
    func logEntries(old: String, new: String, expected: String) {
        let message = Self.reason(for: Self.edited(old, new))
        #expect(message?.contains(expected) == true, "\(message ?? "")")
    }

    @Test("a field named twice is an error, not a silent choice")
    func duplicateField() {
        let message = Self.reason(for: Self.edited("\"layers\": [1, 1]", "\"layers\": [1, 1], \"layers\": [1, 2]"))
        #expect(message == "field \"layers\" appears more than once")
    }

    @Test("a document that is not an object says what it is", arguments: [
        ("[1, 2]", "an array"), ("\"text\"", "a string"), ("3", "a number"), ("null", "null"),
    ])
    func notAnObject(text: String, kind: String) {
        #expect(Self.reason(for: text) == "the document is \(kind), not a JSON object")
    }

    @Test("deep nesting inside a field is a JSON error, not a stack overflow")
    func deepNestingInField() {
        let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        let message = Self.reason(for: Self.edited("[[0.5], [-1]]", deep))
        #expect(message?.contains("not valid JSON: nesting deeper than \(JSONReader.maximumDepth) at line 1") == true)
    }

    @Test("every truncation of a valid fixture is an error naming a line")
    func truncations() throws {
        let bytes = Array(Self.small.utf8)
        _ = try MoonsFixture(json: bytes)
        for end in 0..<bytes.count {
            let message = Self.reason(for: Array(bytes[..<end]))
            #expect(message?.hasPrefix("not valid JSON: ") == true && message?.contains(" at line ") == true,
                    "prefix of \(end) bytes: \(message ?? "")")
        }
    }

    @Test("truncations of the real fixture name the line they stop on")
    func truncatedMoons() throws {
        let bytes = Array(MoonsFixture.bundledJSON.utf8)
        // Cut after the 1000th line break (line 1000 is `"loss": ...,` inside a log entry).
        let breaks = bytes.indices.filter { bytes[$0] == 0x0A }
        let cut = breaks[999] + 1
        let message = Self.reason(for: Array(bytes[..<cut]))
        #expect(message == "not valid JSON: expected a member name at line 1001, column 1")
    }
}
