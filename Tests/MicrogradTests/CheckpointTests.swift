import Foundation
@testable import Micrograd
import Testing

/// Checkpoints: exact round trips, identical outputs, and one thrown error per kind of bad file.
@Suite("Checkpoints: save and load an MLP with training state")
struct CheckpointTests {
    /// A fresh directory for one test's files.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The problem a load throws, or nil when it does not throw a `badCheckpoint`.
    static func problem(_ body: () throws -> Any) -> CheckpointProblem? {
        do {
            _ = try body()
        } catch MicrogradError.badCheckpoint(_, let problem) {
            return problem
        } catch {
            return nil
        }
        return nil
    }

    static func problem(json text: String) -> CheckpointProblem? {
        problem { try Checkpoint(json: Array(text.utf8)) }
    }

    /// Awkward doubles: signed zeros, subnormals, extremes, values with long shortest spellings.
    static let awkward: [Double] = [
        -0.0, 0.0, 5e-324, -5e-324, 2.2250738585072009e-308, .leastNormalMagnitude, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, 0.1, 1.0 / 3.0, -2.718281828459045, 1e23, 123456789012345680,
    ]

    @Test("random models round-trip bit for bit, with step and state", arguments: 0..<8)
    func roundTrip(seed: UInt64) throws {
        var random = RandomSource(seed: seed + 100)
        let inputs = Int(random.next() % 4) + 1
        let sizes = (0..<(Int(random.next() % 3) + 1)).map { _ in Int(random.next() % 5) + 1 }
        let activations = sizes.map { _ in Activation.allCases[Int(random.next() % 4)] }
        let model = try MLP(validatingInputs: inputs, layers: sizes, activations: activations, seed: seed)
        // Random bit patterns (finite ones) and the awkward values, in place of the initial weights.
        var values: [Double] = []
        while values.count < model.parameterCount {
            let candidate = Double(bitPattern: random.next())
            values.append(candidate.isFinite ? candidate : Self.awkward[values.count % Self.awkward.count])
        }
        for (index, value) in Self.awkward.enumerated() where index < values.count { values[index] = value }
        try model.loadParameters(values)
        let state = ["adam.m": values.reversed(), "adam.v": Self.awkward, "empty": [], "odd \"key\"\n": [1.5]]

        let directory = try Self.scratchDirectory()
        let url = directory.appendingPathComponent("model.json")
        try model.save(to: url, step: 42, state: state)
        let loaded = try Checkpoint(contentsOf: url)
        #expect(loaded.inputCount == inputs)
        #expect(loaded.layerSizes == sizes)
        #expect(loaded.activations == activations)
        #expect(loaded.step == 42)
        #expect(loaded.parameters.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(loaded.state.keys.sorted() == state.keys.sorted())
        for (key, array) in state {
            #expect(loaded.state[key]?.map(\.bitPattern) == array.map(\.bitPattern), "state \(key)")
        }
        let copy = try MLP.load(from: url)
        #expect(copy.parameters.map(\.data.bitPattern) == values.map(\.bitPattern))
        #expect(copy.layers.map(\.activation) == activations)
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.json"])
    }

    @Test("a loaded model gives identical outputs")
    func identicalOutputs() throws {
        let model = MLP(inputs: 3, layers: [8, 8, 2], activations: [.tanh, .relu, .sigmoid], seed: 7)
        let url = try Self.scratchDirectory().appendingPathComponent("m.json")
        try model.save(to: url)
        let copy = try MLP.load(from: url)
        #expect(copy !== model)
        var random = RandomSource(seed: 3)
        for _ in 0..<20 {
            let x = (0..<3).map { _ in random.nextUniform(-3, 3) }
            #expect(try model(x).map(\.data.bitPattern) == copy(x).map(\.data.bitPattern))
        }
    }

    @Test("saving replaces the file, and the text is the documented format")
    func format() throws {
        let model = try MLP(validatingInputs: 1, layers: [1], activations: [.linear])
        try model.loadParameters([-0.0, 0.1])
        let text = try Checkpoint(model: model, step: 3, state: ["m": [1e-310]]).jsonText()
        #expect(text == """
            {
              "format": "micrograd-checkpoint",
              "version": 1,
              "inputs": 1,
              "layers": [1],
              "activations": ["linear"],
              "parameters": [-0.0, 0.1],
              "step": 3,
              "state": {
                "m": [1e-310]
              }
            }

            """)
        let url = try Self.scratchDirectory().appendingPathComponent("m.json")
        try model.save(to: url, step: 1)
        try model.save(to: url, step: 2)
        #expect(try Checkpoint(contentsOf: url).step == 2)
        // step and state may be left out.
        let minimal = #"{"format": "micrograd-checkpoint", "version": 1, "inputs": 1, "layers": [1],"#
            + #" "activations": ["relu"], "parameters": [2, -3e0]}"#
        let checkpoint = try Checkpoint(json: Array(minimal.utf8))
        #expect(checkpoint.step == 0 && checkpoint.state.isEmpty && checkpoint.parameters == [2, -3])
    }

    @Test("NaN and infinities are refused on saving, naming the element")
    func nonFinite() throws {
        let model = MLP(inputs: 1, layers: [1])
        try model.loadParameters([1, .nan])
        let url = try Self.scratchDirectory().appendingPathComponent("bad.json")
        #expect(Self.problem { try model.save(to: url) } == .nonFinite("element 1 of parameters is nan"))
        #expect(!FileManager.default.fileExists(atPath: url.path))
        try model.loadParameters([1, 2])
        #expect(Self.problem { try model.save(to: url, state: ["v": [0, -.infinity]]) }
            == .nonFinite("element 1 of state \"v\" is -inf"))
    }

    @Test("a missing file, and an unwritable place, are reported as such")
    func missingAndUnwritable() throws {
        let directory = try Self.scratchDirectory()
        #expect(Self.problem { try MLP.load(from: directory.appendingPathComponent("nope.json")) } == .missing)
        let inMissingFolder = directory.appendingPathComponent("no/such/folder/m.json")
        guard case .unreadable? = Self.problem({ try MLP(inputs: 1, layers: [1]).save(to: inMissingFolder) }) else {
            Issue.record("expected .unreadable")
            return
        }
    }

    @Test("every truncation of a checkpoint is reported as truncated")
    func truncated() throws {
        let model = MLP(inputs: 2, layers: [2, 1], seed: 1)
        let bytes = Array(try Checkpoint(model: model, step: 5, state: ["a": [1, 2]]).jsonText().utf8)
        let end = bytes.lastIndex(of: UInt8(ascii: "}"))!
        for length in 0...end {
            let problem = Self.problem { try Checkpoint(json: Array(bytes[0..<length])) }
            #expect(problem == .truncated, "length \(length)")
        }
        let url = try Self.scratchDirectory().appendingPathComponent("t.json")
        try Data(bytes[0..<(bytes.count / 2)]).write(to: url)
        #expect(Self.problem { try MLP.load(from: url) } == .truncated)
    }

    @Test("wrong magic, wrong version, wrong shape and malformed fields are told apart")
    func errorKinds() {
        func doc(_ fields: String, format: String = "micrograd-checkpoint", version: String = "1") -> String {
            #"{"format": "\#(format)", "version": \#(version), \#(fields)}"#
        }
        let good = #""inputs": 2, "layers": [1], "activations": ["relu"], "parameters": [1, 2, 3]"#
        #expect(Self.problem(json: doc(good)) == nil)
        #expect(Self.problem(json: "\u{89}PNG\r\n") == .wrongMagic("the file does not start with a JSON object"))
        #expect(Self.problem(json: "[1, 2]") == .wrongMagic("the document is not a JSON object"))
        #expect(Self.problem(json: doc(good, format: "micrograd-fixture"))
            == .wrongMagic("the \"format\" field is not \"micrograd-checkpoint\""))
        #expect(Self.problem(json: #"{"inputs": 2}"#)
            == .wrongMagic("the \"format\" field is not \"micrograd-checkpoint\""))
        #expect(Self.problem(json: doc(good, version: "2")) == .unsupportedVersion(2))
        #expect(Self.problem(json: doc(good, version: "0")) == .unsupportedVersion(0))
        #expect(Self.problem(json: doc(#""inputs": 2, "layers": [1], "activations": ["relu"], "parameters": [1, 2]"#))
            == .wrongShape("the architecture has 3 parameters, the file holds 2"))
        #expect(Self.problem(json: doc(#""inputs": 0, "layers": [1], "activations": ["relu"], "parameters": []"#))
            == .wrongShape("the number of inputs must be at least 1, got 0"))
        #expect(Self.problem(json: doc(#""inputs": 1, "layers": [1], "activations": [], "parameters": [1, 2]"#))
            == .wrongShape("1 layers but 0 activations"))
        let huge = #""inputs": 100000, "layers": [100000, 100000], "activations": ["relu", "relu"], "parameters": []"#
        guard case .wrongShape? = Self.problem(json: doc(huge)) else {
            Issue.record("a huge architecture must be a wrong shape")
            return
        }
        #expect(Self.problem(json: doc(#""layers": [1], "activations": ["relu"], "parameters": [1, 2]"#))
            == .malformed("missing field \"inputs\""))
        #expect(Self.problem(json: doc(#""inputs": 1.5, "layers": [1], "activations": ["relu"], "parameters": []"#))
            == .malformed("field \"inputs\" must be a whole number, got 1.5"))
        #expect(Self.problem(json: doc(#""inputs": 1, "layers": [1], "activations": ["gelu"], "parameters": []"#))
            == .malformed("element 0 of \"activations\" must be one of linear, relu, tanh, sigmoid"))
        let oneRelu = #""inputs": 1, "layers": [1], "activations": ["relu"], "parameters": "#
        #expect(Self.problem(json: doc(oneRelu + #"[1, "x"]"#))
            == .malformed("element 1 of \"parameters\" must be a number, got a string"))
        #expect(Self.problem(json: doc(oneRelu + "[1, 1e999]"))
            == .malformed("element 1 of \"parameters\" is beyond the range of a Double: 1e999"))
        #expect(Self.problem(json: doc(good + #", "step": -1"#))
            == .malformed("field \"step\" must be at least 0, got -1"))
        #expect(Self.problem(json: doc(good + #", "state": {"a": [1], "a": [2]}"#))
            == .malformed("state \"a\" appears more than once"))
        #expect(Self.problem(json: doc(good + #", "state": [1]"#))
            == .malformed("field \"state\" must be an object, got an array"))
        #expect(Self.problem(json: doc(good + #", "inputs": 2"#))
            == .malformed("field \"inputs\" appears more than once"))
        guard case .malformed? = Self.problem(json: doc(good) + "x") else {
            Issue.record("trailing text must be malformed")
            return
        }
    }

    @Test("error messages name the file and the problem")
    func messages() throws {
        let url = try Self.scratchDirectory().appendingPathComponent("absent.json")
        do {
            _ = try MLP.load(from: url)
            Issue.record("expected an error")
        } catch let error as MicrogradError {
            #expect(error.description == "cannot use checkpoint \(url.path): no such file")
        }
        #expect(CheckpointProblem.unsupportedVersion(9).description
            == "unsupported checkpoint version 9 (this code reads version 1)")
    }
}
