/// Escaping of text for DOT labels and names.
enum DOTText {
    /// `text` made safe inside a double-quoted DOT string used as a *record* label.
    ///
    /// Record labels give `{ } | < >` a meaning (fields, ports), so those are escaped with a
    /// backslash, as are `"` and `\` (which end or escape the quoted string). A newline becomes
    /// Graphviz's `\n` line break.
    static func recordField(_ text: String) -> String {
        escape(text, backslashing: recordSpecials)
    }

    /// `text` made safe inside a double-quoted DOT string used as a plain label or name.
    ///
    /// Only `"` and `\` need escaping there; a newline becomes `\n`.
    static func quoted(_ text: String) -> String {
        escape(text, backslashing: quotedSpecials)
    }

    private static let recordSpecials: Set<Character> = ["{", "}", "|", "<", ">", "\"", "\\"]
    private static let quotedSpecials: Set<Character> = ["\"", "\\"]

    /// `text` with a backslash before each character of `special` and every newline as `\n`.
    private static func escape(_ text: String, backslashing special: Set<Character>) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if special.contains(character) {
                out.append("\\")
                out.append(character)
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                out.append("\\n")
            } else {
                out.append(character)
            }
        }
        return out
    }
}
