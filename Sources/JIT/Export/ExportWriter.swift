import Foundation

/// Writes an export's files all together or not at all.
enum ExportWriter {
    static func write(
        object: ObjectFile, manifest: ExportManifest, weights: [UInt8]?, to directory: URL
    ) throws -> ExportedFiles {
        let name = manifest.name
        var files: [(String, Data)] = [
            ("\(name).o", Data(object.bytes)),
            ("\(name).h", Data(CHeader.text(for: manifest).utf8)),
            ("module.modulemap", Data(CHeader.moduleMap(for: manifest).utf8)),
        ]
        if let weights { files.append(("\(name).weights", Data(weights))) }
        let written = try writeTogether(files, to: directory)
        return ExportedFiles(
            name: name, target: manifest.target, object: written[0], header: written[1], moduleMap: written[2],
            weights: weights == nil ? nil : written[3], functions: manifest.entries.map(\.symbol),
            objectBytes: files[0].1.count)
    }

    /// Writes `files` into a temporary folder in `directory`, then moves them into place; on
    /// any failure removes every file it wrote or moved and throws `JITError.exportFailed`.
    private static func writeTogether(_ files: [(String, Data)], to directory: URL) throws -> [URL] {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw JITError.exportFailed("cannot create \(directory.path): \(reason(error))")
        }
        let staging = directory.appendingPathComponent(".export-\(UUID().uuidString)", isDirectory: true)
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw JITError.exportFailed("cannot write to \(directory.path): \(reason(error))")
        }
        defer { try? manager.removeItem(at: staging) }
        var moved: [URL] = []
        do {
            for (file, data) in files {
                try data.write(to: staging.appendingPathComponent(file))
            }
            for (file, _) in files {
                // NOTE: POSIX rename replaces an existing file in one step (FileManager's move
                // refuses to, so it needed a remove first, leaving a moment with no file).
                let destination = directory.appendingPathComponent(file)
                guard rename(staging.appendingPathComponent(file).path, destination.path) == 0 else {
                    throw JITError.exportFailed(
                        "cannot write \(destination.path): \(String(cString: strerror(errno)))")
                }
                moved.append(destination)
            }
        } catch let error as JITError {
            for url in moved { try? manager.removeItem(at: url) }
            throw error
        } catch {
            for url in moved { try? manager.removeItem(at: url) }
            throw JITError.exportFailed("cannot write to \(directory.path): \(reason(error))")
        }
        return moved
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return "\(underlying.localizedDescription) (\(nsError.localizedDescription))"
        }
        return nsError.localizedDescription
    }
}
