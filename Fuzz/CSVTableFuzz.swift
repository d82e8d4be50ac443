// libFuzzer entry for `CSVTable(csv:)` (built and run by scripts/fuzz).
import Micrograd

/// Feeds the bytes to the CSV reader; a thrown `MicrogradError` is a good outcome. The first
/// byte picks the options (header or not, label column, separator), the rest is the text. A
/// table that loads must be rectangular and finite, and must make its data sets without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVTable(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let options = bytes.first else { return 0 }
    let labels: [CSVTable.LabelColumn] = [.last, .index(0), .index(2), .named("label")]
    let separators = Array(",;|\t".utf8)
    let label = labels[Int(options >> 1) % labels.count]
    let separator = separators[Int(options >> 3) % separators.count]
    guard let table = try? CSVTable(csv: Array(bytes.dropFirst()), path: "fuzz", hasHeader: options & 1 == 1,
                                    label: label, separator: separator) else { return 0 }
    precondition(!table.features.isEmpty && table.features.count == table.labels.count)
    precondition(table.lineNumbers.count == table.labels.count)
    let width = table.features[0].count
    precondition(width >= 1 && table.features.allSatisfy { $0.count == width && $0.allSatisfy(\.isFinite) })
    precondition(table.labels.allSatisfy(\.isFinite))
    guard (try? table.dataset()) != nil else { preconditionFailure("a loaded table could not make its data set") }
    do {
        _ = try table.classDataset(classCount: 10)
    } catch MicrogradError.badRecord {
        // A label that is not a class index: the expected error.
    } catch {
        preconditionFailure("classDataset threw \(error)")
    }
    return 0
}
