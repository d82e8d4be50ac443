import Foundation
import Micrograd

extension ExportCommand {
    /// Writes the interpreter's score (`try mlp(x)[0].data`) of every moons fixture point, then of
    /// every point listed in `extraPoints`, one `x y label score` line each (label 0 for the extra
    /// points). The numbers are Swift's shortest round-trip spelling, so a reader parses the exact
    /// doubles: scripts compare an exported model's scores with these bit for bit.
    static func writeScores(of mlp: MLP, to path: String, extraPoints: String?) throws {
        let fixture = try MoonsFixture.bundled()
        var rows = Array(zip(fixture.inputs, fixture.labels))
        if let extraPoints {
            rows += try readPoints(extraPoints).map { ($0, 0) }
        }
        var text = ""
        for (point, label) in rows {
            let score = try mlp(point)[0].data
            text += "\(point[0]) \(point[1]) \(Int(label)) \(score)\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Points of a text file, two numbers a line (blank lines skipped).
    private static func readPoints(_ path: String) throws -> [[Double]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var points: [[Double]] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty { continue }
            let values = fields.compactMap { Double($0) }
            guard fields.count == 2, values.count == 2 else {
                throw CommandError(description: "\(path), line \(number + 1): expected two numbers, got \"\(line)\"")
            }
            points.append(values)
        }
        return points
    }
}
