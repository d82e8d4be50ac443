import Foundation
@testable import Micrograd
import Testing

/// The numeric CSV reader: headers, label columns by index or name, comments and blank lines,
/// and every bad row a `MicrogradError.badRecord` naming its line and column (field number).
@Suite("CSV reader: numbers, header, label column, errors with line and column")
struct CSVTableTests {
    static func table(_ text: String, header: Bool = true, label: CSVTable.LabelColumn = .last,
                      separator: UInt8 = UInt8(ascii: ",")) throws -> CSVTable {
        try CSVTable(csv: Array(text.utf8), path: "t.csv", hasHeader: header, label: label, separator: separator)
    }

    @Test("a header, comments, blank lines, CRLF and spaces around fields")
    func reads() throws {
        let text = "# made by hand\r\nx, y ,label\r\n\r\n1,2,-1\n  # a comment\n\t.5 , -2e-1,1\n\n"
        let table = try Self.table(text)
        #expect(table.columnNames == ["x", "y", "label"])
        #expect(table.features == [[1, 2], [0.5, -0.2]])
        #expect(table.labels == [-1, 1])
        #expect(table.lineNumbers == [4, 6])
        #expect(table.labelColumn == 2)
        let data = try table.dataset()
        #expect(data.rows == [[1, 2], [0.5, -0.2]] && data.targets == [-1, 1] && data.classLabels == nil)
    }

    @Test("the label column by index, by name, or last; without a header")
    func labelColumns() throws {
        let text = "a,b,c\n1,2,3\n4,5,6\n"
        #expect(try Self.table(text, label: .index(0)).labels == [1, 4])
        #expect(try Self.table(text, label: .index(0)).features == [[2, 3], [5, 6]])
        #expect(try Self.table(text, label: .named("b")).features == [[1, 3], [4, 6]])
        let bare = try Self.table("1;2;3\n4;5;6", header: false, label: .index(1), separator: UInt8(ascii: ";"))
        #expect(bare.columnNames == nil && bare.labels == [2, 5] && bare.features == [[1, 3], [4, 6]])
    }

    @Test("class labels: whole numbers below the class count, else an error at the label's field")
    func classLabels() throws {
        let data = try Self.table("f,class\n0.5,2\n1,0\n").classDataset(classCount: 3)
        #expect(data.classLabels == [2, 0] && data.classCount == 3)
        for (label, reason) in [("3", "label 3.0 is not a class index in 0..<3"),
                                ("1.5", "label 1.5 is not a class index in 0..<3"),
                                ("-1", "label -1.0 is not a class index in 0..<3")] {
            #expect(throws: MicrogradError.badRecord(path: "t.csv", line: 3, column: 1, reason: reason)) {
                try Self.table("class,f\n0,1\n\(label),1\n", label: .index(0)).classDataset(classCount: 3)
            }
        }
    }

    @Test("a bad field names its line and column", arguments: [
        ("a,b\n1,2\n3,x\n", 3, 2, "\"x\" is not a number"),
        ("a,b\n1,2\n3,\n", 3, 2, "empty field"),
        ("a,b\n1,2\n ,4\n", 3, 1, "empty field"),
        ("a,b\n1,2\n\n# c\n3,1e999\n", 5, 2, "\"1e999\" is beyond the range of a Double"),
        ("a,b\n1,2\n3,-1e999\n", 3, 2, "\"-1e999\" is beyond the range of a Double"),
        ("a,b\nnan,2\n", 2, 1, "\"nan\" is not a finite number"),
        ("a,b\n1,-Inf\n", 2, 2, "\"-Inf\" is not a finite number"),
        ("a,b\n1,infinity\n", 2, 2, "\"infinity\" is not a finite number"),
        ("a,b\n0x1p3,2\n", 2, 1, "\"0x1p3\" is not a number"),
        ("a,b\n1,2\n1.2.3,2\n", 3, 1, "\"1.2.3\" is not a number"),
        ("a,b\n\"1\",2\n", 2, 1, "\"\"1\"\" is not a number"),
        ("a,b\n1 2,3\n", 2, 1, "\"1 2\" is not a number"),
    ])
    func badField(text: String, line: Int, column: Int, reason: String) {
        #expect(throws: MicrogradError.badRecord(path: "t.csv", line: line, column: column, reason: reason)) {
            try Self.table(text)
        }
    }

    @Test("a row with the wrong number of fields names its line and the first missing or extra field",
          arguments: [
        ("a,b,c\n1,2,3\n4,5\n", true, 3, 3, "2 fields, expected 3"),
        ("a,b,c\n1,2,3\n4,5,6,7\n", true, 3, 4, "4 fields, expected 3"),
        ("1,2\n3,4\n5,6,\n", false, 3, 3, "3 fields, expected 2"),
        ("# x\n1,2\n\n3\n", false, 4, 2, "1 field, expected 2"),
    ])
    func wrongWidth(text: String, header: Bool, line: Int, column: Int, reason: String) {
        #expect(throws: MicrogradError.badRecord(path: "t.csv", line: line, column: column, reason: reason)) {
            try Self.table(text, header: header)
        }
    }

    @Test("files without rows or columns to use, bad label columns and bad options", arguments: [
        ("", true, CSVTable.LabelColumn.last, "cannot use t.csv: no data rows"),
        ("# only a comment\n\n", false, .last, "cannot use t.csv: no data rows"),
        ("a,b\n", true, .last, "cannot use t.csv: no data rows"),
        ("a\n1\n", true, .last, "cannot use t.csv: 1 column; needs a label and at least one feature"),
        ("a,b\n1,2\n", true, .index(2), "cannot use t.csv: no label column 2: the columns are 0..<2"),
        ("a,b\n1,2\n", true, .index(-1), "cannot use t.csv: no label column -1: the columns are 0..<2"),
        ("a,b\n1,2\n", true, .named("c"), "cannot use t.csv: the header has no column named \"c\""),
        ("a,a\n1,2\n", true, .named("a"), "cannot use t.csv: the header has 2 columns named \"a\""),
        ("1,2\n", false, .named("a"), "the label column \"a\" is named, but the CSV has no header"),
    ])
    func unusableFiles(text: String, header: Bool, label: CSVTable.LabelColumn, message: String) {
        do {
            _ = try Self.table(text, header: header, label: label)
            Issue.record("accepted")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test("a header that is not UTF-8 and an unsupported separator throw")
    func badHeaderAndSeparator() {
        let bytes: [UInt8] = Array("a,".utf8) + [0xFF, 0xFE] + Array("\n1,2\n".utf8)
        #expect(throws: MicrogradError.badRecord(path: "t.csv", line: 1, column: 2,
                                                 reason: "the column name is not UTF-8 text")) {
            try CSVTable(csv: bytes, path: "t.csv", hasHeader: true)
        }
        #expect(throws: MicrogradError.self) { try Self.table("1.2\n", header: false, separator: UInt8(ascii: ".")) }
    }

    @Test("the error's message names the file, line and column")
    func message() {
        let error = MicrogradError.badRecord(path: "t.csv", line: 3, column: 2, reason: "\"x\" is not a number")
        #expect("\(error)" == "t.csv, line 3, column 2: \"x\" is not a number")
    }

    @Test("a file on disk, and a missing one")
    func files() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv")
        try Data("x,y\n1,1\n2,-1\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try CSVTable(contentsOf: url, hasHeader: true).labels == [1, -1])
        let missing = url.appendingPathExtension("missing")
        #expect(throws: MicrogradError.self) { try CSVTable(contentsOf: missing, hasHeader: true) }
    }
}
