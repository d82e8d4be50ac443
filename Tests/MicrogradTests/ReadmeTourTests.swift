import Foundation
import Testing

/// The README's API tour is copied from `Examples/Tour/main.swift`, which the build compiles;
/// this test keeps the two identical, so the README never shows code that does not compile.
@Suite("README API tour")
struct ReadmeTourTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `// tour: NAME` ... `// end` sections of the tour source, in order.
    static func tourSections(_ source: String) -> [String] {
        var sections: [String] = []
        var current: [Substring]?
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("// tour: ") {
                current = []
            } else if line == "// end", let lines = current {
                sections.append(lines.joined(separator: "\n") + "\n")
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return sections
    }

    @Test("every tour section of Examples/Tour appears verbatim in the README, in order")
    func tourMatchesReadme() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let tour = try String(contentsOf: Self.root.appendingPathComponent("Examples/Tour/main.swift"), encoding: .utf8)
        let sections = Self.tourSections(tour)
        #expect(sections.count >= 5)
        var searchStart = readme.startIndex
        for section in sections {
            let block = "```swift\n" + section + "```"
            let found = readme.range(of: block, range: searchStart..<readme.endIndex)
            #expect(found != nil, "README is missing (or has out of order) the tour block:\n\(section)")
            if let found { searchStart = found.upperBound }
        }
    }
}
