import Foundation

/// scikit-learn's digits set: 1,797 handwritten digits of 8x8 pixels (integers 0-16), ten classes.
///
/// The copy compiled into the library (``bundled(scaled:)``) is `digits.json` from
/// `sklearn.datasets.load_digits()` (UCI Optical Recognition of Handwritten Digits, CC BY 4.0),
/// made into compact Swift source by `scripts/generate-fixture-source`. Its first 1,437 images
/// are the training set and the last 360 the test set, as the file says.
public struct Digits: Sendable {
    /// What the file says about the data.
    public let description: String
    /// Where the data comes from and its licence.
    public let source: String
    /// The pixel rows and columns of an image (`[8, 8]`).
    public let shape: [Int]
    /// The number of classes (10).
    public let classCount: Int
    /// Every image's pixels in row-major order, integers 0-16 as in the file (not scaled).
    public let images: [[Double]]
    /// Every image's class, `0..<classCount`.
    public let labels: [Int]
    /// The first images, with their class labels (pixels scaled when asked).
    public let train: Dataset
    /// The last images, with their class labels (pixels scaled when asked).
    public let test: Dataset

    /// The largest pixel value.
    public static let maximumPixel = 16.0

    /// The set compiled into the library: no file or resource bundle is read.
    ///
    /// - Parameter scaled: Whether ``train`` and ``test`` hold pixels divided by 16, in [0, 1]
    ///   (the default), or the integers 0-16.
    public static func bundled(scaled: Bool = true) throws -> Digits {
        let (images, labels) = try bundledImages.get()
        return try Digits(description: bundledDescription, source: bundledSource, shape: bundledShape,
                          classCount: bundledClassCount, trainCount: bundledTrainCount, testCount: bundledTestCount,
                          images: images, labels: labels, scaled: scaled, path: "digits.json (compiled in)")
    }

    /// The compiled-in rows decoded once, on first use.
    private static let bundledImages = Result { try decodeRows(bundledRows) }

    /// Decodes `label pixels` lines, each pixel one base-17 digit.
    static func decodeRows(_ text: String) throws -> (images: [[Double]], labels: [Int]) {
        var images: [[Double]] = []
        var labels: [Int] = []
        for (index, line) in text.utf8.split(separator: UInt8(ascii: "\n")).enumerated() {
            let bytes = Array(line)
            let pixels = bytes.dropFirst(2).compactMap(digitValue)
            guard bytes.count >= 2, bytes[1] == UInt8(ascii: " "), let label = digitValue(bytes[0]), label < 10,
                  pixels.count == bytes.count - 2 else {
                throw MicrogradError.badFile(path: "digits (compiled in)", reason: "line \(index + 1) is malformed")
            }
            labels.append(label)
            images.append(pixels.map(Double.init))
        }
        return (images, labels)
    }

    /// The value of one base-17 digit (`0`-`9`, `a`-`g`).
    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "g"): Int(byte - UInt8(ascii: "a")) + 10
        default: nil
        }
    }

    /// Loads the set from a `digits.json` file.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - scaled: Whether the data sets' pixels are divided by 16.
    public init(contentsOf url: URL, scaled: Bool = true) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MicrogradError.badFile(path: url.path, reason: "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(json: Array(data), path: url.path, scaled: scaled)
    }

    /// Parses the set from JSON bytes with the fields `description`, `source`, `shape`,
    /// `classes`, `train`, `test`, `images` and `labels`.
    ///
    /// - Parameters:
    ///   - json: The file's bytes.
    ///   - path: Names the source in error messages.
    ///   - scaled: Whether the data sets' pixels are divided by 16.
    /// - Throws: `MicrogradError.badFile` naming the line and column of a JSON syntax error, or
    ///   the field (and element) that is missing, of the wrong type or out of range.
    public init(json: [UInt8], path: String = "<memory>", scaled: Bool = true) throws {
        let fields = try FixtureFields(json: json, path: path)
        try self.init(description: fields.string("description"), source: fields.string("source"),
                      shape: fields.integers("shape"), classCount: fields.integer("classes"),
                      trainCount: fields.integer("train"), testCount: fields.integer("test"),
                      images: fields.matrix("images"), labels: fields.integers("labels"), scaled: scaled, path: path)
    }

    /// Checks the fields against each other and makes the two data sets.
    private init(description: String, source: String, shape: [Int], classCount: Int, trainCount: Int,
                 testCount: Int, images: [[Double]], labels: [Int], scaled: Bool, path: String) throws {
        func bad(_ reason: String) -> MicrogradError { .badFile(path: path, reason: reason) }
        guard shape.count == 2, shape.allSatisfy({ (1...4096).contains($0) }) else {
            throw bad("\"shape\" must be two sizes in 1...4096, got \(shape)")
        }
        guard classCount >= 1 else { throw bad("\"classes\" must be at least 1, got \(classCount)") }
        guard trainCount >= 1, testCount >= 1, trainCount <= images.count, images.count - trainCount == testCount else {
            throw bad("\"train\" \(trainCount) and \"test\" \(testCount) must be at least 1 and add up to the "
                      + "\(images.count) images")
        }
        guard labels.count == images.count else {
            throw bad("\"labels\" has \(labels.count) labels for \(images.count) images")
        }
        if let index = labels.firstIndex(where: { !(0..<classCount).contains($0) }) {
            throw bad("element \(index) of \"labels\" is \(labels[index]), outside 0..<\(classCount)")
        }
        let width = shape[0] * shape[1]
        for (index, image) in images.enumerated() {
            guard image.count == width else { throw bad("image \(index) has \(image.count) pixels, expected \(width)") }
            if let pixel = image.first(where: { !(0...Self.maximumPixel).contains($0) || $0.rounded() != $0 }) {
                throw bad("image \(index) has the pixel \(pixel); pixels are integers 0...16")
            }
        }
        let rows = scaled ? images.map { $0.map { $0 / Self.maximumPixel } } : images
        self.description = description
        self.source = source
        self.shape = shape
        self.classCount = classCount
        self.images = images
        self.labels = labels
        self.train = try Dataset(rows: Array(rows[..<trainCount]), classLabels: Array(labels[..<trainCount]),
                                 classCount: classCount)
        self.test = try Dataset(rows: Array(rows[trainCount...]), classLabels: Array(labels[trainCount...]),
                                classCount: classCount)
    }
}
