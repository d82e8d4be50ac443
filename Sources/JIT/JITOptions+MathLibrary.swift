extension JITOptions {
    /// Where the compiled code's `exp`, `log`, `pow`, `tanh`, `sin` and `cos` come from.
    ///
    /// ```swift
    /// let f = try jit([x.exp()], inputs: [x], options: JITOptions(mathLibrary: .builtIn))
    /// ```
    ///
    /// `sqrt` and `abs` are `llvm.sqrt` and `llvm.fabs` either way: single exact instructions on
    /// every target.
    public enum MathLibrary: String, Sendable, Hashable, CaseIterable {
        /// The C math library (the default): `llvm.exp`, `llvm.log`, `llvm.sin`, `llvm.cos` and
        /// libm's `pow` and `tanh`, the very functions the interpreter calls, so Float64 results
        /// equal the interpreter's bit for bit. Used only where the target has a C math library
        /// (``TargetDescription/hasSystemMath``); elsewhere the built-in routines are used.
        case system
        /// Routines emitted into the module as IR (internal functions `mgrad.exp.f64`, ...):
        /// no call to any library, for targets without one (wasm32, NVPTX). Within 2 ulp of
        /// glibc's libm in Float64 (measured maxima in the routines' doc comments) and 1 ulp in
        /// Float32, with C99's special values (infinities, NaN, signed zeros, `pow`'s cases).
        /// Not bit-identical to the interpreter.
        case builtIn
    }

    /// Whether the code for `target` uses the built-in math routines: when asked for, or when
    /// the target has no C math library.
    func usesBuiltInMath(on target: TargetDescription) -> Bool {
        mathLibrary == .builtIn || !target.hasSystemMath
    }
}
