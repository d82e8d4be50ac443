import Foundation

/// Builds and runs small C programs against exported objects, and moves doubles in and out of
/// them through raw little-endian files.
enum CProgram {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mgrad-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `tool` (found on PATH) with `arguments`; throws with its output when it fails.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil) throws -> String {
        try run(executable: URL(fileURLWithPath: "/usr/bin/env"), [tool] + arguments, in: directory)
    }

    /// Runs `executable` with `arguments`; throws with its output when it fails.
    @discardableResult
    static func run(executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) failed "
                + "(\(process.terminationStatus)):\n\(output)")
        }
        return output
    }

    /// Compiles `source` with the system C compiler (`cc -Wall -Werror -std=c99`) against the
    /// headers in `include`, links `objects` and the math library, and returns the executable.
    static func build(_ source: String, objects: [URL], include: URL, in directory: URL) throws -> URL {
        let file = directory.appendingPathComponent("main.c")
        try Data(source.utf8).write(to: file)
        let executable = directory.appendingPathComponent("main")
        try run("cc", ["-Wall", "-Werror", "-std=c99", "-O1", "-I", include.path, file.path]
            + objects.map(\.path) + ["-lm", "-o", executable.path])
        return executable
    }

    /// Writes `values` as raw IEEE numbers in the host's byte order (the C programs' order;
    /// little-endian on every machine these tests run on, as `NAME.weights` is).
    static func write<T: BinaryFloatingPoint & BitwiseCopyable>(_ values: [T], to url: URL) throws {
        try values.withUnsafeBytes { try Data($0).write(to: url) }
    }

    /// The raw IEEE numbers of type `T` in `url`, in the host's byte order.
    static func read<T: BinaryFloatingPoint & BitwiseCopyable>(_ url: URL, as type: T.Type) throws -> [T] {
        let data = try Data(contentsOf: url), size = MemoryLayout<T>.size
        return data.withUnsafeBytes { raw in
            (0..<raw.count / size).map { raw.loadUnaligned(fromByteOffset: $0 * size, as: T.self) }
        }
    }

    /// A C program that reads `rows` samples from `in.bin`, writes `moons_predict`'s outputs
    /// row by row to `single.bin` and `moons_predict_batch`'s to `batch.bin` (`T` the element
    /// type; `weights` passes a parameters buffer read from `NAME.weights` first).
    static func predictHarness(name: String, scalar: String, weights: Bool) -> String {
        let upper = name.uppercased()
        let lead = weights ? "parameters, " : ""
        return """
        #include <stdio.h>
        #include <stdlib.h>
        #include "\(name).h"

        static void *slurp(const char *path, size_t *bytes) {
            FILE *file = fopen(path, "rb");
            if (!file) { perror(path); exit(2); }
            fseek(file, 0, SEEK_END);
            *bytes = (size_t)ftell(file);
            fseek(file, 0, SEEK_SET);
            void *data = malloc(*bytes + 1);
            if (fread(data, 1, *bytes, file) != *bytes) { perror(path); exit(2); }
            fclose(file);
            return data;
        }

        static void spill(const char *path, const void *data, size_t bytes) {
            FILE *file = fopen(path, "wb");
            if (!file || fwrite(data, 1, bytes, file) != bytes) { perror(path); exit(2); }
            fclose(file);
        }

        int main(void) {
            size_t bytes = 0, weightBytes = 0;
            \(scalar) *inputs = slurp("in.bin", &bytes);
            size_t rows = bytes / sizeof(\(scalar)) / \(upper)_INPUTS;
            const double *parameters = \(weights ? "slurp(\"\(name).weights\", &weightBytes)" : "NULL");
            (void)parameters; (void)weightBytes;
            \(scalar) *single = malloc((rows * \(upper)_OUTPUTS + 1) * sizeof(\(scalar)));
            \(scalar) *batch = malloc((rows * \(upper)_OUTPUTS + 1) * sizeof(\(scalar)));
            for (size_t row = 0; row < rows; row++)
                \(name)_predict(\(lead)inputs + row * \(upper)_INPUTS, single + row * \(upper)_OUTPUTS);
            \(name)_predict_batch(\(lead)inputs, batch, rows);
            spill("single.bin", single, rows * \(upper)_OUTPUTS * sizeof(\(scalar)));
            spill("batch.bin", batch, rows * \(upper)_OUTPUTS * sizeof(\(scalar)));
            return 0;
        }
        """
    }
}
