// libFuzzer entry for `JSONReader.parse` (built and run by scripts/fuzz).
import Micrograd

/// Feeds the bytes to the JSON reader; a thrown `JSONReader.Failure` is a good outcome, a crash,
/// hang or memory blow-up is not. An accepted document must also survive a walk of its values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let document = try? JSONReader.parse(bytes) else { return 0 }
    var pending = [document]
    var count = 0
    while let value = pending.popLast() {
        count += 1
        switch value {
        case .object(let members): pending.append(contentsOf: members.map(\.value))
        case .array(let elements): pending.append(contentsOf: elements)
        case .number(let text): _ = Double(text)
        case .string, .bool, .null: break
        }
    }
    precondition(count >= 1)
    return 0
}
