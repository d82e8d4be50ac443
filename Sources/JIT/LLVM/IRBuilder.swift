internal import CLLVM

/// A typed wrapper of `LLVMBuilderRef`: every instruction the lowerings emit, with a name for
/// the SSA value it defines (`%mul12`), so the IR stays readable.
///
/// NOTE: no instruction gets fast-math flags; see `PassPipeline` for why.
final class IRBuilder {
    let context: Context
    private let ref: LLVMBuilderRef
    /// The raw builder, for extensions in this folder.
    var builderRef: LLVMBuilderRef { ref }

    init(context: Context) {
        self.context = context
        ref = LLVMCreateBuilderInContext(context.ref)
    }

    deinit { LLVMDisposeBuilder(ref) }

    // MARK: Position and control flow

    /// Moves the insertion point to the end of `block`.
    func position(atEndOf block: BasicBlock) { LLVMPositionBuilderAtEnd(ref, block.ref) }

    /// The block instructions are currently appended to.
    var currentBlock: BasicBlock { BasicBlock(ref: LLVMGetInsertBlock(ref)) }

    func branch(to block: BasicBlock) { LLVMBuildBr(ref, block.ref) }

    func branch(if condition: IRValue, then yes: BasicBlock, else no: BasicBlock) {
        LLVMBuildCondBr(ref, condition.ref, yes.ref, no.ref)
    }

    func ret(_ value: IRValue) { LLVMBuildRet(ref, value.ref) }

    func retVoid() { LLVMBuildRetVoid(ref) }

    /// A phi node; add its incoming edges with `addIncoming`.
    func phi(_ type: IRType, name: String) -> IRValue { IRValue(ref: LLVMBuildPhi(ref, type.ref, name)) }

    func addIncoming(_ phi: IRValue, _ value: IRValue, from block: BasicBlock) {
        var values: [LLVMValueRef?] = [value.ref]
        var blocks: [LLVMBasicBlockRef?] = [block.ref]
        LLVMAddIncoming(phi.ref, &values, &blocks, 1)
    }

    /// `body()` when `condition` holds, else `otherwise`, with `body`'s instructions run only in
    /// the first case: a branch around them (blocks `name.run`, `name.join`) and a phi.
    func value(
        if condition: IRValue, otherwise: IRValue, in function: Function, name: String,
        _ body: () throws -> IRValue
    ) rethrows -> IRValue {
        let from = currentBlock
        let run = function.appendBlock("\(name).run", in: context)
        let join = function.appendBlock("\(name).join", in: context)
        branch(if: condition, then: run, else: join)
        position(atEndOf: run)
        let computed = try body()
        let runEnd = currentBlock
        branch(to: join)
        position(atEndOf: join)
        let result = phi(otherwise.type, name: name)
        addIncoming(result, otherwise, from: from)
        addIncoming(result, computed, from: runEnd)
        return result
    }

    // MARK: Floating-point arithmetic

    func fadd(_ a: IRValue, _ b: IRValue, name: String) -> IRValue { IRValue(ref: LLVMBuildFAdd(ref, a.ref, b.ref, name)) }
    func fsub(_ a: IRValue, _ b: IRValue, name: String) -> IRValue { IRValue(ref: LLVMBuildFSub(ref, a.ref, b.ref, name)) }
    func fmul(_ a: IRValue, _ b: IRValue, name: String) -> IRValue { IRValue(ref: LLVMBuildFMul(ref, a.ref, b.ref, name)) }
    func fdiv(_ a: IRValue, _ b: IRValue, name: String) -> IRValue { IRValue(ref: LLVMBuildFDiv(ref, a.ref, b.ref, name)) }
    func fneg(_ a: IRValue, name: String) -> IRValue { IRValue(ref: LLVMBuildFNeg(ref, a.ref, name)) }

    /// An ordered floating-point comparison (false when either side is NaN).
    func fcmp(_ predicate: FloatPredicate, _ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildFCmp(ref, predicate.llvm, a.ref, b.ref, name))
    }

    func select(_ condition: IRValue, _ yes: IRValue, _ no: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildSelect(ref, condition.ref, yes.ref, no.ref, name))
    }

    /// `fptrunc` (e.g. double to float, round to nearest).
    func truncate(_ value: IRValue, to type: IRType, name: String) -> IRValue {
        IRValue(ref: LLVMBuildFPTrunc(ref, value.ref, type.ref, name))
    }

    /// `fpext` (e.g. float to double, exact).
    func extend(_ value: IRValue, to type: IRType, name: String) -> IRValue {
        IRValue(ref: LLVMBuildFPExt(ref, value.ref, type.ref, name))
    }

    // MARK: Integers

    func add(_ a: IRValue, _ b: IRValue, name: String) -> IRValue { IRValue(ref: LLVMBuildNSWAdd(ref, a.ref, b.ref, name)) }
    func mul(_ a: IRValue, _ b: IRValue, name: String) -> IRValue { IRValue(ref: LLVMBuildNSWMul(ref, a.ref, b.ref, name)) }

    /// A signed `<` comparison.
    func lessThan(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildICmp(ref, LLVMIntSLT, a.ref, b.ref, name))
    }

    // MARK: Memory

    /// A stack slot of `count` elements in the current block (call it in the entry block).
    func alloca(_ type: IRType, count: Int, name: String) -> IRValue {
        let size = context.int64.constant(integer: count)
        return IRValue(ref: LLVMBuildArrayAlloca(ref, type.ref, size.ref, name))
    }

    func load(_ type: IRType, from pointer: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildLoad2(ref, type.ref, pointer.ref, name))
    }

    @discardableResult
    func store(_ value: IRValue, to pointer: IRValue) -> IRValue {
        IRValue(ref: LLVMBuildStore(ref, value.ref, pointer.ref))
    }

    /// `getelementptr inbounds element, pointer, index`: the address of `pointer[index]`.
    func elementPointer(_ element: IRType, _ pointer: IRValue, _ index: IRValue, name: String) -> IRValue {
        var indices: [LLVMValueRef?] = [index.ref]
        return IRValue(ref: LLVMBuildInBoundsGEP2(ref, element.ref, pointer.ref, &indices, 1, name))
    }

    // MARK: Calls and vectors

    func call(_ function: Function, _ arguments: [IRValue], name: String) -> IRValue {
        var args: [LLVMValueRef?] = arguments.map(\.ref)
        return IRValue(ref: LLVMBuildCall2(ref, function.type.ref, function.ref, &args, UInt32(args.count), name))
    }

    func insertElement(_ vector: IRValue, _ element: IRValue, at index: Int, name: String) -> IRValue {
        IRValue(ref: LLVMBuildInsertElement(ref, vector.ref, element.ref, context.int64.constant(integer: index).ref, name))
    }

    func extractElement(_ vector: IRValue, at index: Int, name: String) -> IRValue {
        IRValue(ref: LLVMBuildExtractElement(ref, vector.ref, context.int64.constant(integer: index).ref, name))
    }
}

/// The ordered floating-point comparisons the lowerings use (false when either side is NaN,
/// as Swift's `<`, `<=`, `==`, ...).
enum FloatPredicate {
    case greaterThan, greaterThanOrEqual, lessThan, lessThanOrEqual, equal

    var llvm: LLVMRealPredicate {
        switch self {
        case .greaterThan: LLVMRealOGT
        case .greaterThanOrEqual: LLVMRealOGE
        case .lessThan: LLVMRealOLT
        case .lessThanOrEqual: LLVMRealOLE
        case .equal: LLVMRealOEQ
        }
    }
}
