import Foundation

/// Readers of MNIST's IDX files: `*-labels-idx1-ubyte` and `*-images-idx3-ubyte`.
///
/// An IDX file starts with a big-endian magic number: two zero bytes, the element type (`0x08`,
/// unsigned bytes, the only type read here) and the number of dimensions (1 for labels, 3 for
/// images); then one big-endian 32-bit size per dimension, then the elements in row-major order.
/// Every problem is a `MicrogradError.badFile` whose reason says which: a wrong magic number, a
/// wrong number of dimensions, a zero size, a file too short for its sizes (truncated) or longer
/// (trailing bytes), images and labels of different counts. Sizes are checked against the file's
/// length before anything is allocated, so a header claiming billions of images costs nothing.
public enum IDX {
    /// Images read from an idx3-ubyte file.
    public struct Images: Sendable {
        /// The number of images.
        public let count: Int
        /// The pixel rows of each image (28 for MNIST).
        public let rows: Int
        /// The pixel columns of each image (28 for MNIST).
        public let columns: Int
        /// Each image's pixels in row-major order: the bytes 0-255, or those divided by 255.
        public let pixels: [[Double]]
    }

    /// Reads an idx1-ubyte labels file (magic `0x00000801`).
    ///
    /// - Parameters:
    ///   - bytes: The file's bytes.
    ///   - path: Names the source in error messages.
    /// - Returns: One label (0-255) per item.
    /// - Throws: `MicrogradError.badFile` saying what is wrong (see ``IDX``).
    public static func labels(_ bytes: [UInt8], path: String = "<memory>") throws -> [Int] {
        let sizes = try header(bytes, dimensions: 1, path: path)
        let body = try payload(bytes, sizes: sizes, path: path)
        return body.map(Int.init)
    }

    /// Reads an idx3-ubyte images file (magic `0x00000803`).
    ///
    /// - Parameters:
    ///   - bytes: The file's bytes.
    ///   - path: Names the source in error messages.
    ///   - scaled: Whether pixels are divided by 255 into [0, 1] (the default) or kept as 0-255.
    /// - Throws: `MicrogradError.badFile` saying what is wrong (see ``IDX``).
    public static func images(_ bytes: [UInt8], path: String = "<memory>", scaled: Bool = true) throws -> Images {
        let sizes = try header(bytes, dimensions: 3, path: path)
        let body = try payload(bytes, sizes: sizes, path: path)
        let width = sizes[1] * sizes[2]
        let pixels = (0..<sizes[0]).map { image in
            body[(body.startIndex + image * width)...].prefix(width).map { scaled ? Double($0) / 255 : Double($0) }
        }
        return Images(count: sizes[0], rows: sizes[1], columns: sizes[2], pixels: pixels)
    }

    /// A classification data set from an images file and a labels file of the same count.
    ///
    /// - Parameters:
    ///   - images: The idx3-ubyte file's bytes.
    ///   - labels: The idx1-ubyte file's bytes.
    ///   - classCount: The number of classes (10 for MNIST); every label must be below it.
    ///   - scaled: Whether pixels are scaled into [0, 1].
    ///   - paths: The two sources' names for messages: images, then labels.
    /// - Throws: `MicrogradError.badFile` for either file (see ``IDX``), for different counts,
    ///   or for a label that is not below `classCount`.
    public static func dataset(images: [UInt8], labels: [UInt8], classCount: Int = 10, scaled: Bool = true,
                               paths: (images: String, labels: String) = ("<images>", "<labels>")) throws -> Dataset {
        let read = try Self.images(images, path: paths.images, scaled: scaled)
        let classes = try Self.labels(labels, path: paths.labels)
        guard read.count == classes.count else {
            throw MicrogradError.badFile(path: paths.labels, reason: """
                count mismatch: \(classes.count) labels for the \(read.count) images of \(paths.images)
                """)
        }
        if let index = classes.firstIndex(where: { $0 >= classCount }) {
            let reason = "label \(index) is \(classes[index]), not below the class count \(classCount)"
            throw MicrogradError.badFile(path: paths.labels, reason: reason)
        }
        return try Dataset(rows: read.pixels, classLabels: classes, classCount: classCount)
    }

    /// ``dataset(images:labels:classCount:scaled:paths:)`` from two files.
    ///
    /// - Parameters:
    ///   - imagesURL: The idx3-ubyte file.
    ///   - labelsURL: The idx1-ubyte file.
    ///   - classCount: The number of classes (10 for MNIST).
    ///   - scaled: Whether pixels are scaled into [0, 1].
    public static func dataset(imagesAt imagesURL: URL, labelsAt labelsURL: URL, classCount: Int = 10,
                               scaled: Bool = true) throws -> Dataset {
        try dataset(images: read(imagesURL), labels: read(labelsURL), classCount: classCount, scaled: scaled,
                    paths: (imagesURL.path, labelsURL.path))
    }

    private static func read(_ url: URL) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: url))
        } catch {
            throw MicrogradError.badFile(path: url.path, reason: "cannot read the file (\(error.localizedDescription))")
        }
    }

    /// Checks the magic number and returns the sizes (each at least 1).
    private static func header(_ bytes: [UInt8], dimensions: Int, path: String) throws -> [Int] {
        let expected = String(format: "0x%08X", 0x800 + dimensions)
        guard bytes.count >= 4 else {
            throw MicrogradError.badFile(path: path, reason: "truncated: \(bytes.count) bytes, no IDX magic number")
        }
        let magic = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08 else {
            let found = String(format: "0x%08X", magic)
            throw MicrogradError.badFile(path: path, reason: "wrong magic number \(found), expected \(expected)")
        }
        guard Int(bytes[3]) == dimensions else {
            throw MicrogradError.badFile(path: path, reason: """
                wrong dimension count: magic \(String(format: "0x%08X", magic)) has \(bytes[3]), \
                expected \(dimensions) (\(expected))
                """)
        }
        let headerLength = 4 + 4 * dimensions
        guard bytes.count >= headerLength else {
            throw MicrogradError.badFile(path: path, reason: """
                truncated: the header needs \(headerLength) bytes for \(dimensions) sizes, the file has \(bytes.count)
                """)
        }
        let sizes = (0..<dimensions).map { dimension in
            bytes[(4 + 4 * dimension)..<(8 + 4 * dimension)].reduce(0) { $0 << 8 | Int($1) }
        }
        if let zero = sizes.firstIndex(of: 0) {
            throw MicrogradError.badFile(path: path, reason: "wrong dimension: size \(zero) is 0 (sizes \(sizes))")
        }
        return sizes
    }

    /// The elements after the header; their number must be the product of the sizes.
    private static func payload(_ bytes: [UInt8], sizes: [Int], path: String) throws -> ArraySlice<UInt8> {
        let headerLength = 4 + 4 * sizes.count
        var expected = 1
        for size in sizes {
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw MicrogradError.badFile(path: path, reason: "truncated: the sizes \(sizes) overflow")
            }
            expected = product
        }
        let available = bytes.count - headerLength
        guard available >= expected else {
            throw MicrogradError.badFile(path: path, reason: """
                truncated: the sizes \(sizes) need \(expected) bytes after the header, the file has \(available)
                """)
        }
        guard available == expected else {
            throw MicrogradError.badFile(path: path, reason: """
                \(available - expected) trailing bytes after the \(expected) bytes of the sizes \(sizes)
                """)
        }
        return bytes[headerLength...]
    }
}
