import Foundation
@testable import JIT
import Micrograd
import Testing

/// `jit(model, on:)`: on this machine's GPU when it has one (compared with the interpreter bit
/// for bit), else the error that says why there is none; the CPU device behind the same calls.
@Suite("Devices")
struct GPUDeviceTests {
    @Test("a missing driver library is a thrown deviceUnavailable naming it")
    func missingLibrary() {
        #expect {
            _ = try CUDADriver(library: "libcuda-missing-for-test.so.9")
        } throws: { error in
            guard case JITError.deviceUnavailable(let reason) = error else { return false }
            return reason.hasPrefix("libcuda-missing-for-test.so.9 not found: ")
        }
    }

    @Test("jit(on: .cuda()): the interpreter's bits on a GPU, or the reason there is none")
    func cudaOrReason() throws {
        let model = MLP(inputs: 2, layers: [16, 16, 1], seed: 1337)
        let rows = 1000  // not a multiple of the block size: the bounds check matters
        let x = GPUSampleHostTests.randomInputs(rows * 2, seed: 8)
        let gpu: DeviceModel
        do {
            gpu = try jit(model, on: .cuda())
        } catch JITError.deviceUnavailable(let reason) {
            let known = ["libcuda.so.1 not found: ", "the CUDA driver sees no device", "did not initialise"]
            #expect(known.contains { reason.contains($0) }, "unexpected reason: \(reason)")
            print("GPUDeviceTests: no GPU here (\(reason)); checked the error instead")
            return
        }
        #expect(gpu.device == .cuda(ordinal: 0) && gpu.ptx != nil && gpu.compiledModel == nil)
        let got = try gpu(batch: x, rows: rows)
        GPUSampleHostTests.expectSameBits(got, try GPUSampleHostTests.interpreted(model, x, rows: rows), "GPU")
        let before = got
        model.storage.baseAddress[0] += 1
        GPUSampleHostTests.expectSameBits(try gpu(batch: x, rows: rows), before, "stale weights until synced")
        try gpu.syncToDevice()
        GPUSampleHostTests.expectSameBits(
            try gpu(batch: x, rows: rows), try GPUSampleHostTests.interpreted(model, x, rows: rows), "after sync")
    }

    @Test("a device ordinal out of range is deviceUnavailable, with or without a driver")
    func ordinalOutOfRange() {
        #expect {
            _ = try jit(MLP(inputs: 2, layers: [2, 1]), on: .cuda(ordinal: 4096))
        } throws: { error in
            guard case JITError.deviceUnavailable = error else { return false }
            return true
        }
    }

    @Test("jit(on: .cpu) is the CPU JIT behind the same batched calls")
    func cpuDevice() throws {
        let model = MLP(inputs: 3, layers: [8, 2], seed: 4)
        let device = try jit(model, on: .cpu)
        #expect(device.device == .cpu && device.compiledModel != nil && device.ptx == nil)
        #expect(device.inputCount == 3 && device.outputCount == 2 && device.deviceName == "cpu")
        let rows = 10
        let x = GPUSampleHostTests.randomInputs(rows * 3, seed: 2)
        let expected = try GPUSampleHostTests.interpreted(model, x, rows: rows)
        GPUSampleHostTests.expectSameBits(try device(batch: x, rows: rows), expected, "cpu device")
        try x.withUnsafeBufferPointer { try device.load(batch: $0, rows: rows) }
        try device.runResident()
        var out = [Double](repeating: 0, count: rows * 2)
        try out.withUnsafeMutableBufferPointer { try device.readOutputs(into: $0) }
        GPUSampleHostTests.expectSameBits(out, expected, "resident")
        try device.syncToDevice()
        #expect(throws: JITError.self) { _ = try device(batch: x, rows: rows + 1) }
        #expect(throws: JITError.self) { _ = try device(batch: x, rows: -1) }
        #expect(Device.cuda().description == "cuda:0" && Device.cpu.description == "cpu")
    }

    @Test("PTX the driver rejects: .driver with the JIT log (on a GPU), else .deviceUnavailable")
    func rejectedPTX() {
        let ptx = ".version 7.0\n.target sm_80\n.address_size 64\n.visible .entry broken() { mov.u32 %r1, 1; ret; }\n"
        #expect {
            try loadPTX(ptx)
        } throws: { error in
            switch error {
            case JITError.driver(let message): message.contains("cuModuleLoadDataEx") && message.contains("JIT log")
            case JITError.deviceUnavailable: true
            default: false
            }
        }
    }

    @Test("driver errors read as one line naming the call")
    func errorText() {
        #expect(JITError.driver("cuLaunchKernel failed: X").description == "CUDA driver error: cuLaunchKernel failed: X")
        #expect(JITError.deviceUnavailable("why").description == "device unavailable: why")
    }
}
