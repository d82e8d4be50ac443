import Foundation

/// Runs Graphviz's `dot` program to turn DOT text into a picture (SVG, PNG, PDF, ...).
///
/// Graphviz is an external program, not a library dependency: it is looked up on `PATH` (and in
/// the usual install directories) when a picture is asked for, and its absence is a thrown
/// ``GraphvizError/notFound``, never a crash.
public enum Graphviz {
    /// The `dot` executable on `PATH`, or in `/usr/bin`, `/usr/local/bin`, `/opt/homebrew/bin`;
    /// nil when none is found.
    public static func locateDot() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        var directories = path.split(separator: ":").map(String.init)
        directories += ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("dot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }

    /// The output of `dot -T<format>` for `dot` text (`format` is Graphviz's name: `svg`, `png`).
    ///
    /// - Parameters:
    ///   - dot: the graph, as DOT text (for example from ``DOT/render(_:options:)-(Value,_)``).
    ///   - format: Graphviz's name of the output format: `svg` (the default), `png`, `pdf`, ...
    ///   - executable: the `dot` to run; found with ``locateDot()`` when nil.
    /// - Returns: the bytes `dot` wrote: SVG text as UTF-8, or a binary picture.
    /// - Throws: ``GraphvizError/notFound`` without Graphviz, ``GraphvizError/failed(status:message:)``
    ///   when `dot` exits with an error (its own message is kept), or a file error of the
    ///   temporary directory.
    public static func render(_ dot: String, format: String = "svg", executable: URL? = nil) throws -> Data {
        guard let executable = executable ?? locateDot() else { throw GraphvizError.notFound }
        // NOTE: input, output and diagnostics go through temporary files rather than pipes:
        // with pipes, a large graph can fill one pipe while we block on another (deadlock).
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mgrad-dot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("graph.dot")
        let output = directory.appendingPathComponent("graph.\(format)")
        let diagnostics = directory.appendingPathComponent("stderr.txt")
        try Data(dot.utf8).write(to: input)
        _ = FileManager.default.createFile(atPath: diagnostics.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = ["-T\(format)", "-o", output.path, input.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errorHandle = try FileHandle(forWritingTo: diagnostics)
        defer { try? errorHandle.close() }
        process.standardError = errorHandle
        do {
            try process.run()
        } catch {
            throw GraphvizError.failed(status: -1, message: "cannot start \(executable.path): \(error)")
        }
        process.waitUntilExit()

        let message = (try? String(contentsOf: diagnostics, encoding: .utf8)) ?? ""
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw GraphvizError.failed(
                status: process.terminationStatus,
                message: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return try Data(contentsOf: output)
    }
}

/// Why Graphviz could not make a picture.
public enum GraphvizError: Error, Equatable, CustomStringConvertible {
    /// No `dot` executable was found.
    case notFound
    /// `dot` ran and failed, with its exit status and its own error message.
    case failed(status: Int32, message: String)

    /// A one-line message saying what failed and what to do about it.
    public var description: String {
        switch self {
        case .notFound:
            "Graphviz `dot` was not found on PATH; install graphviz (scripts/setup does) or write DOT text instead"
        case let .failed(status, message):
            "Graphviz `dot` failed (status \(status)): \(message.isEmpty ? "no message" : message)"
        }
    }
}
