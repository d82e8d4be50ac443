import Foundation

/// A numeric CSV file: rows of numbers, one column of which is the label and the rest features.
///
/// The format read, and what is decided:
/// - Lines end with `\n` or `\r\n`. A line that is empty or only spaces and tabs is skipped, and
///   so is a line whose first non-blank character is `#` (a comment); both may appear anywhere.
/// - With `hasHeader`, the first line that is not skipped names the columns (UTF-8 text, spaces
///   and tabs around a name trimmed); without it, the first data row fixes the column count.
/// - Fields are separated by one separator byte (`,` by default) and hold decimal numbers
///   (`-1.5`, `2e-3`, `.5`) with optional spaces or tabs around them. There is no quoting.
/// - A field that is empty or not such a number, a number that is not finite (`1e999`, `nan`,
///   `inf`) and a row with the wrong number of fields are errors:
///   `MicrogradError.badRecord(path:line:column:reason:)` with the line (from 1, counting every
///   line of the file) and the column (the field's number in its line, from 1).
///
/// A hand-written reader rather than a CSV package: the file holds only numbers, and every error
/// must name its line and field, which is what this reader counts as it goes.
public struct CSVTable: Sendable {
    /// Which column holds the label.
    public enum LabelColumn: Sendable, Equatable {
        /// The column at this index, counted from 0.
        case index(Int)
        /// The column with this name in the header (the file must have one).
        case named(String)
        /// The last column.
        case last
    }

    /// The header's column names (the label's included), or nil for a file without one.
    public let columnNames: [String]?
    /// The index (from 0) of the label column among all columns.
    public let labelColumn: Int
    /// The feature values of each row: every column but the label's, in file order.
    public let features: [[Double]]
    /// The label of each row.
    public let labels: [Double]
    /// The line (from 1) each row was read from.
    public let lineNumbers: [Int]
    /// Where the text came from, for messages.
    public let path: String

    /// Reads a CSV file; see ``init(csv:path:hasHeader:label:separator:)``.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - hasHeader: Whether the first line names the columns.
    ///   - label: The label column.
    ///   - separator: The byte between fields: `,`, `;`, `|` or a tab.
    public init(contentsOf url: URL, hasHeader: Bool, label: LabelColumn = .last,
                separator: UInt8 = UInt8(ascii: ",")) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MicrogradError.badFile(path: url.path, reason: "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(csv: Array(data), path: url.path, hasHeader: hasHeader, label: label, separator: separator)
    }

    /// Parses CSV text.
    ///
    /// - Parameters:
    ///   - bytes: The file's bytes.
    ///   - path: Names the source in error messages.
    ///   - hasHeader: Whether the first line that is not blank or a comment names the columns.
    ///   - label: The label column.
    ///   - separator: The byte between fields: `,`, `;`, `|` or a tab.
    /// - Throws: `MicrogradError.badRecord` naming the line and column of a bad field or row;
    ///   `.badFile` for a file without data rows, with fewer than two columns, or without the
    ///   label column; `.invalidArgument` for a label name without a header or another separator.
    public init(csv bytes: [UInt8], path: String = "<memory>", hasHeader: Bool, label: LabelColumn = .last,
                separator: UInt8 = UInt8(ascii: ",")) throws {
        guard Array(",;|\t".utf8).contains(separator) else {
            throw MicrogradError.invalidArgument(
                "the CSV separator must be ',', ';', '|' or a tab, got byte \(separator)")
        }
        if case .named(let name) = label, !hasHeader {
            throw MicrogradError.invalidArgument("the label column \"\(name)\" is named, but the CSV has no header")
        }
        let parser = CSVParser(path: path, separator: separator)
        let lines = parser.significantLines(of: bytes)
        var dataLines = lines[...]
        var names: [String]?
        if hasHeader, let header = dataLines.popFirst() {
            names = try parser.names(in: header)
        }
        guard let width = names?.count ?? dataLines.first.map({ parser.fields(of: $0).count }) else {
            throw MicrogradError.badFile(path: path, reason: "no data rows")
        }
        let labelIndex = try Self.labelIndex(label, names: names, width: width, path: path)
        var features: [[Double]] = []
        var labels: [Double] = []
        features.reserveCapacity(dataLines.count)
        labels.reserveCapacity(dataLines.count)
        for line in dataLines {
            var row = try parser.numbers(in: line, expecting: width)
            labels.append(row.remove(at: labelIndex))
            features.append(row)
        }
        guard !features.isEmpty else { throw MicrogradError.badFile(path: path, reason: "no data rows") }
        self.columnNames = names
        self.labelColumn = labelIndex
        self.features = features
        self.labels = labels
        self.lineNumbers = dataLines.map(\.number)
        self.path = path
    }

    /// The index of the label column, checked against the column count.
    private static func labelIndex(_ label: LabelColumn, names: [String]?, width: Int, path: String) throws -> Int {
        guard width >= 2 else {
            throw MicrogradError.badFile(path: path, reason: "\(width) column; needs a label and at least one feature")
        }
        switch label {
        case .last:
            return width - 1
        case .index(let index):
            guard (0..<width).contains(index) else {
                let reason = "no label column \(index): the columns are 0..<\(width)"
                throw MicrogradError.badFile(path: path, reason: reason)
            }
            return index
        case .named(let name):
            let matches = (names ?? []).indices.filter { names?[$0] == name }
            guard matches.count == 1 else {
                let problem = matches.isEmpty ? "no column" : "\(matches.count) columns"
                throw MicrogradError.badFile(path: path, reason: "the header has \(problem) named \"\(name)\"")
            }
            return matches[0]
        }
    }

    /// The rows as a data set with the labels as numeric targets (±1, regression values).
    ///
    /// - Throws: Never in practice (the rows are checked when read); `Dataset`'s errors otherwise.
    public func dataset() throws -> Dataset {
        try Dataset(rows: features, targets: labels)
    }

    /// The rows as a classification data set: each label must be a whole number in
    /// `0..<classCount`.
    ///
    /// - Parameter classCount: The number of classes, at least 1.
    /// - Throws: `MicrogradError.badRecord` naming the line and column of the first label that
    ///   is not a class index; `.invalidArgument` for a class count below 1.
    public func classDataset(classCount: Int) throws -> Dataset {
        guard classCount >= 1 else {
            throw MicrogradError.invalidArgument("the class count must be at least 1, got \(classCount)")
        }
        var classes: [Int] = []
        classes.reserveCapacity(labels.count)
        for (row, label) in labels.enumerated() {
            guard label >= 0, label < Double(classCount), let index = Int(exactly: label) else {
                throw MicrogradError.badRecord(path: path, line: lineNumbers[row], column: labelColumn + 1,
                                               reason: "label \(label) is not a class index in 0..<\(classCount)")
            }
            classes.append(index)
        }
        return try Dataset(rows: features, classLabels: classes, classCount: classCount)
    }
}
