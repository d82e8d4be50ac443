import Foundation
@testable import Micrograd
import Testing

/// MNIST's IDX format on small files written here: labels and images read back exactly, pixels
/// scaled or not, and truncated, wrong-magic, wrong-dimension, trailing and count-mismatch files
/// each a thrown `MicrogradError.badFile` saying which.
@Suite("IDX reader: MNIST labels and images, and each kind of bad file")
struct IDXTests {
    /// An IDX file: magic `00 00 08 <sizes.count>`, big-endian 32-bit sizes, then the bytes.
    static func idx(sizes: [UInt32], body: [UInt8], magic: [UInt8]? = nil) -> [UInt8] {
        let header = magic ?? [0, 0, 0x08, UInt8(sizes.count)]
        return header + sizes.flatMap { size in (0..<4).reversed().map { UInt8(truncatingIfNeeded: size >> ($0 * 8)) } }
            + body
    }

    /// Three 2x3 images whose pixels are 0, 51, ..., 255 shifted by the image index.
    static let pixels: [[UInt8]] = (0..<3).map { image in (0..<6).map { UInt8(($0 * 51 + image) % 256) } }
    static let images = idx(sizes: [3, 2, 3], body: pixels.flatMap { $0 })
    static let labels = idx(sizes: [3], body: [7, 0, 9])

    /// The reason of the `badFile` error `body` throws, or nil (recorded) when it does not.
    static func reason(_ body: () throws -> Void) -> String? {
        do {
            try body()
            Issue.record("accepted a bad file")
        } catch let MicrogradError.badFile(_, reason) {
            return reason
        } catch {
            Issue.record("wrong error: \(error)")
        }
        return nil
    }

    @Test("labels and images are read exactly; pixels scaled by 255 or kept")
    func reads() throws {
        #expect(try IDX.labels(Self.labels) == [7, 0, 9])
        let raw = try IDX.images(Self.images, scaled: false)
        #expect(raw.count == 3 && raw.rows == 2 && raw.columns == 3)
        #expect(raw.pixels == Self.pixels.map { $0.map(Double.init) })
        let scaled = try IDX.images(Self.images)
        #expect(scaled.pixels == Self.pixels.map { $0.map { Double($0) / 255 } })
        #expect(scaled.pixels[0].first == 0 && scaled.pixels[0].last == 1)
    }

    @Test("a data set pairs images with class labels")
    func dataset() throws {
        let data = try IDX.dataset(images: Self.images, labels: Self.labels)
        #expect(data.count == 3 && data.featureCount == 6)
        #expect(data.classLabels == [7, 0, 9] && data.classCount == 10)
        let reason = Self.reason { _ = try IDX.dataset(images: Self.images, labels: Self.labels, classCount: 8) }
        #expect(reason == "label 2 is 9, not below the class count 8")
    }

    @Test("files on disk, and a missing one")
    func files() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let imagesURL = folder.appendingPathComponent("t10k-images-idx3-ubyte")
        let labelsURL = folder.appendingPathComponent("t10k-labels-idx1-ubyte")
        try Data(Self.images).write(to: imagesURL)
        try Data(Self.labels).write(to: labelsURL)
        #expect(try IDX.dataset(imagesAt: imagesURL, labelsAt: labelsURL).classLabels == [7, 0, 9])
        let missing = folder.appendingPathComponent("none")
        #expect(throws: MicrogradError.self) { try IDX.dataset(imagesAt: missing, labelsAt: labelsURL) }
    }

    @Test("truncated files: no magic, a short header, a short body", arguments: [
        ([0, 0, 8], "truncated: 3 bytes, no IDX magic number"),
        ([], "truncated: 0 bytes, no IDX magic number"),
        ([0, 0, 8, 3, 0, 0, 0, 3, 0, 0], "truncated: the header needs 16 bytes for 3 sizes, the file has 10"),
        (Array(images.dropLast()), "truncated: the sizes [3, 2, 3] need 18 bytes after the header, the file has 17"),
        (idx(sizes: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], body: []),
         "truncated: the sizes [4294967295, 4294967295, 4294967295] overflow"),
        (idx(sizes: [60000, 28, 28], body: [1, 2]),
         "truncated: the sizes [60000, 28, 28] need 47040000 bytes after the header, the file has 2"),
    ] as [([UInt8], String)])
    func truncatedImages(bytes: [UInt8], expected: String) {
        #expect(Self.reason { _ = try IDX.images(bytes) } == expected)
    }

    @Test("a truncated labels file")
    func truncatedLabels() {
        #expect(Self.reason { _ = try IDX.labels(Array(Self.labels.dropLast(2))) }
            == "truncated: the sizes [3] need 3 bytes after the header, the file has 1")
    }

    @Test("wrong magic numbers", arguments: [
        ([0, 0, 0x09, 3] as [UInt8], "wrong magic number 0x00000903, expected 0x00000803"),
        ([0x1F, 0x8B, 0x08, 3], "wrong magic number 0x1F8B0803, expected 0x00000803"),
        ([0, 1, 0x08, 3], "wrong magic number 0x00010803, expected 0x00000803"),
    ])
    func wrongMagic(magic: [UInt8], expected: String) {
        let bytes = Self.idx(sizes: [3, 2, 3], body: Self.pixels.flatMap { $0 }, magic: magic)
        #expect(Self.reason { _ = try IDX.images(bytes) } == expected)
    }

    @Test("wrong dimensions: a labels file read as images and back, a zero size")
    func wrongDimension() {
        #expect(Self.reason { _ = try IDX.images(Self.labels) }
            == "wrong dimension count: magic 0x00000801 has 1, expected 3 (0x00000803)")
        #expect(Self.reason { _ = try IDX.labels(Self.images) }
            == "wrong dimension count: magic 0x00000803 has 3, expected 1 (0x00000801)")
        #expect(Self.reason { _ = try IDX.images(Self.idx(sizes: [3, 0, 3], body: [])) }
            == "wrong dimension: size 1 is 0 (sizes [3, 0, 3])")
        #expect(Self.reason { _ = try IDX.labels(Self.idx(sizes: [0], body: [])) }
            == "wrong dimension: size 0 is 0 (sizes [0])")
    }

    @Test("trailing bytes after the data")
    func trailing() {
        #expect(Self.reason { _ = try IDX.labels(Self.labels + [1, 2]) }
            == "2 trailing bytes after the 3 bytes of the sizes [3]")
    }

    @Test("images and labels of different counts")
    func countMismatch() {
        let twoLabels = Self.idx(sizes: [2], body: [1, 2])
        #expect(Self.reason { _ = try IDX.dataset(images: Self.images, labels: twoLabels) }
            == "count mismatch: 2 labels for the 3 images of <images>")
    }
}
