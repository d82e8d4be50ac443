// libFuzzer entry for `IDX.labels`, `IDX.images` and `IDX.dataset` (built and run by scripts/fuzz).
import Micrograd

/// Feeds the bytes to both IDX readers, and to the data set maker split at the first byte's
/// position; a thrown `MicrogradError` is a good outcome. Images that load must have the shape
/// their header says, with scaled pixels in [0, 1].
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let labels = try? IDX.labels(bytes, path: "fuzz") {
        precondition(!labels.isEmpty && labels.allSatisfy { (0...255).contains($0) })
    }
    if let images = try? IDX.images(bytes, path: "fuzz") {
        precondition(images.pixels.count == images.count)
        precondition(images.pixels.allSatisfy { $0.count == images.rows * images.columns })
        precondition(images.pixels.allSatisfy { $0.allSatisfy { (0...1).contains($0) } })
    }
    guard let cut = bytes.first.map({ min(Int($0), bytes.count - 1) + 1 }) else { return 0 }
    if let dataset = try? IDX.dataset(images: Array(bytes[1..<cut]), labels: Array(bytes[cut...])) {
        precondition(dataset.classLabels?.count == dataset.count && dataset.classCount == 10)
    }
    return 0
}
