import Micrograd

extension Program {
    /// The functions a partitioned program is called as, in call order: `piece0 ... pieceK-1`
    /// for a forward program; `forward0 ... forwardK-1` then `reverseK-1 ... reverse0` for a
    /// value and gradient.
    static func pieceEntries(count: Int, gradient: Bool) -> [String] {
        guard gradient else { return (0..<count).map { "piece\($0)" } }
        return (0..<count).map { "forward\($0)" } + (0..<count).reversed().map { "reverse\($0)" }
    }

    /// Emits the pieces `pieces` of `partition` into `module`: for a forward program, piece `k`
    /// computes its slots and the last piece stores the outputs; for a gradient (one output),
    /// `forward<k>` computes and stores its slots (the last one also `results[0]`, the value)
    /// and `reverse<k>` runs the reverse sweep over them (see `PieceEmitter.emitReverse`).
    ///
    /// With `batchesLibraryCalls`, each forward piece gathers its library calls into batches
    /// (`PieceSchedule`); else it computes its slots in order.
    ///
    /// The calling convention of every piece is `(inputs, values, adjoints, outputs, constants)`,
    /// five `double*` (see `PiecewiseCode`).
    ///
    /// - Throws: `JITError.invalidGraph` for a gradient of a program without exactly one output.
    func emitPieces(
        _ pieces: Range<Int>, of partition: ProgramPartition, gradient: Bool,
        into module: borrowing Module, precision: JITOptions.Precision, batchesLibraryCalls: Bool
    ) throws {
        if gradient && outputs.count != 1 {
            throw JITError.invalidGraph("a gradient needs exactly one output, the program has \(outputs.count)")
        }
        let last = partition.pieces.count - 1
        for piece in pieces {
            let range = partition.pieces[piece]
            let forward = PieceEmitter(self, partition, range: range, name: gradient ? "forward\(piece)" : "piece\(piece)",
                                       module: module, precision: precision)
            try forward.emitForward(batches: batchesLibraryCalls)
            if piece == last {
                if gradient {
                    let value = forward.emit.toDouble(try forward.value(of: outputs[0]), name: "value.d")
                    forward.builder.storeDouble(value, forward.outputs, forward.builder.index(0), name: "value")
                } else {
                    try forward.emitOutputs()
                }
            }
            forward.builder.retVoid()
            guard gradient else { continue }
            let reverse = PieceEmitter(self, partition, range: range, name: "reverse\(piece)", module: module,
                                       precision: precision)
            try reverse.emitReverse()
            reverse.builder.retVoid()
        }
    }
}

extension Program {
    /// The function `void @mgrad_prefetch_code(i8* start, i64 lines)` that `PiecewiseCode`
    /// calls to prefetch a piece's machine code, `lines` cache lines of 64 bytes from `start`,
    /// into the second-level cache (`IRBuilder.prefetchForReading`).
    static let prefetchCodeName = "mgrad_prefetch_code"

    /// Adds `@mgrad_prefetch_code` to `module` (see `prefetchCodeName`).
    static func emitPrefetchCode(into module: borrowing Module) throws {
        let context = module.context
        let byte = context.int8, int64 = context.int64
        let function = module.addFunction(prefetchCodeName, type: context.void.function([byte.pointer, int64]))
        let start = function.parameter(0, name: "start"), lines = function.parameter(1, name: "lines")
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        _ = try builder.loop("line", runtimeCount: lines, in: function) { line, _ in
            let offset = builder.mul(line, builder.index(64), name: "offset")
            try builder.prefetchForReading(builder.elementPointer(byte, start, offset, name: "address"))
            return []
        }
        builder.retVoid()
    }
}
