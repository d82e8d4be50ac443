/// The checks an export's name must pass: it prefixes C symbols and macros, names the header and
/// the Swift module, so it must be a C identifier that no C or C++ compiler reserves.
enum ExportName {
    /// Throws `JITError.exportFailed` saying why `name` cannot prefix C symbols.
    static func validate(_ name: String) throws {
        guard let first = name.unicodeScalars.first else {
            throw JITError.exportFailed("the name is empty; it must be a C identifier such as 'moons'")
        }
        let isLetter = { (c: Unicode.Scalar) in ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" }
        let isDigit = { (c: Unicode.Scalar) in ("0"..."9").contains(c) }
        guard isLetter(first), name.unicodeScalars.allSatisfy({ isLetter($0) || isDigit($0) }) else {
            throw JITError.exportFailed(
                "'\(name)' is not a C identifier (letters, digits and '_', not starting with a digit)")
        }
        guard !name.hasPrefix("__"), !(name.hasPrefix("_") && name.dropFirst().first?.isUppercase == true) else {
            throw JITError.exportFailed("'\(name)' is reserved in C (it starts with '__' or '_' and a capital)")
        }
        guard !reservedWords.contains(name) else {
            throw JITError.exportFailed("'\(name)' is a C or C++ keyword")
        }
        guard name.utf8.count <= 64 else {
            throw JITError.exportFailed("'\(name)' is longer than 64 characters")
        }
    }

    /// C99 and C++ keywords, and names Swift's module system reserves.
    private static let reservedWords: Set<String> = [
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
        "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
        "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
        "_Bool", "_Complex", "_Imaginary", "bool", "catch", "class", "delete", "false", "friend", "mutable",
        "namespace", "new", "operator", "private", "protected", "public", "template", "this", "throw", "true",
        "try", "typename", "using", "virtual", "module", "export", "import", "Swift", "Darwin", "Glibc", "main",
    ]
}
