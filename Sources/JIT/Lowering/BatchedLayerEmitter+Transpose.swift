/// The block's transposes between the caller's row-major samples and the panel layout.
extension BatchedLayerEmitter {
    /// Copies a row-major block of `features` doubles per sample into a panel buffer.
    func transposeIn(from rows: IRValue, features: Int, to buffer: IRValue) {
        let lanes = tiling.lanes, width = tiling.panelVectors
        _ = builder.loop("in.p", count: tiling.panelsPerBlock, in: function) { panel, _ in
            _ = builder.loop("in.f", count: features, in: function) { f, _ in
                for c in 0..<width {
                    let gathered = builder.mapLanes(vector.zero, lanes: lanes, name: "in.x") { _, lane in
                        let sample = builder.add(
                            builder.mul(panel, builder.int(width * lanes), name: "in.s0"), builder.int(c * lanes + lane), name: "in.s")
                        let index = builder.add(builder.mul(sample, builder.int(features), name: "in.row"), f, name: "in.idx")
                        let value = builder.load(double, from: builder.elementPointer(double, rows, index, name: "in.ptr"), name: "in.d")
                        return emit.fromDouble(value, name: "in.t")
                    }
                    builder.store(gathered, to: slot(buffer, features: features, panel: panel, feature: f, vector: c, name: "in.dst"))
                }
                return []
            }
            return []
        }
    }

    /// Copies a panel buffer back to `features` doubles per sample, row-major.
    func transposeOut(from buffer: IRValue, features: Int, to rows: IRValue) {
        let lanes = tiling.lanes, width = tiling.panelVectors
        _ = builder.loop("out.p", count: tiling.panelsPerBlock, in: function) { panel, _ in
            _ = builder.loop("out.f", count: features, in: function) { f, _ in
                for c in 0..<width {
                    let source = slot(buffer, features: features, panel: panel, feature: f, vector: c, name: "out.src")
                    let values = builder.load(vector, from: source, name: "out.y")
                    for lane in 0..<lanes {
                        let sample = builder.add(
                            builder.mul(panel, builder.int(width * lanes), name: "out.s0"), builder.int(c * lanes + lane), name: "out.s")
                        let index = builder.add(builder.mul(sample, builder.int(features), name: "out.row"), f, name: "out.idx")
                        let value = emit.toDouble(builder.extractElement(values, at: lane, name: "out.e"), name: "out.d")
                        builder.store(value, to: builder.elementPointer(double, rows, index, name: "out.ptr"))
                    }
                }
                return []
            }
            return []
        }
    }
}
