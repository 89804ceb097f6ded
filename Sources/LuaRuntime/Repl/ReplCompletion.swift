/// Where the cursor is, for completion: at the end of a dotted name, inside a string, or elsewhere.
public enum ReplCompletion: Equatable, Sendable {
    /// `a.b.c:pa|`: the table path (`["a", "b", "c"]`), the partial name, and whether after `:`.
    case name(path: [String], partial: String, method: Bool)
    /// Inside a string literal: what it holds so far, and the code before its opening quote.
    case string(partial: String, before: String)
    case none

    public static let keywords = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    public static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return s.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
            && !keywords.contains(s)
    }

    /// Reads the text before the cursor (one line; strings and comments tracked as Lua does on one line).
    public static func analyze(_ text: String) -> ReplCompletion {
        // Find whether the cursor is inside a string: scan quotes, escapes and `--` comments.
        var quote: Character?
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if let q = quote {
                if c == "\\" {
                    index = text.index(after: index)
                    if index == text.endIndex { break }
                } else if c == q {
                    quote = nil
                }
            } else if c == "\"" || c == "'" {
                quote = c
                start = index
            } else if c == "-", text[index...].hasPrefix("--") {
                return .none
            }
            index = text.index(after: index)
        }
        if quote != nil {
            return .string(partial: String(text[text.index(after: start)...]), before: String(text[..<start]))
        }
        // The dotted name at the end.
        var tail = Substring(text)
        var nameStart = tail.endIndex
        while nameStart > tail.startIndex {
            let previous = tail[tail.index(before: nameStart)]
            guard previous == "_" || previous == "." || previous == ":" || previous.isLetter || previous.isNumber,
                previous.isASCII
            else { break }
            nameStart = tail.index(before: nameStart)
        }
        tail = tail[nameStart...]
        // Not after a `.` of a number or of a string literal: `1.5`, `("a").x`.
        if let first = tail.first, first == "." || first == ":" || first.isNumber { return .none }
        if nameStart > text.startIndex, [")", "]", "\"", "'"].contains(text[text.index(before: nameStart)]) {
            return .none
        }
        let method = tail.contains(":")
        if method && tail.filter({ $0 == ":" }).count > 1 { return .none }
        let parts = tail.split(separator: ".", omittingEmptySubsequences: false).flatMap {
            $0.split(separator: ":", omittingEmptySubsequences: false)
        }.map(String.init)
        let path = Array(parts.dropLast())
        let partial = parts.last ?? ""
        if method, let colon = tail.firstIndex(of: ":"), tail[tail.index(after: colon)...].contains(".") {
            return .none
        }
        guard path.allSatisfy(isIdentifier), partial.isEmpty || partial.first.map({ !$0.isNumber }) == true else {
            return .none
        }
        return .name(path: path, partial: partial, method: method)
    }
}
