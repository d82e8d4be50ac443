/// Escaping of text for DOT labels and names.
enum DOTText {
    /// `text` made safe inside a double-quoted DOT string used as a *record* label.
    ///
    /// Record labels give `{ } | < >` a meaning (fields, ports), so those are escaped with a
    /// backslash, as are `"` and `\` (which end or escape the quoted string). A newline becomes
    /// Graphviz's `\n` line break.
    static func recordField(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "{", "}", "|", "<", ">", "\"", "\\":
                out.append("\\")
                out.append(character)
            case "\n", "\r\n", "\r":
                out.append("\\n")
            default:
                out.append(character)
            }
        }
        return out
    }

    /// `text` made safe inside a double-quoted DOT string used as a plain label or name.
    ///
    /// Only `"` and `\` need escaping there; a newline becomes `\n`.
    static func quoted(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\"", "\\":
                out.append("\\")
                out.append(character)
            case "\n", "\r\n", "\r":
                out.append("\\n")
            default:
                out.append(character)
            }
        }
        return out
    }
}
