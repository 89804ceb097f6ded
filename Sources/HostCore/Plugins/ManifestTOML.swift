/// The part of TOML a manifest uses, read strictly and within budget: top-level `key = value` lines,
/// values being strings (basic `"..."` with escapes, or literal `'...'`), arrays of them (over
/// several lines, with comments and a trailing comma), and numbers and booleans (read only to say
/// they are the wrong type); `#` comments. A general TOML library aborted the process on some
/// malformed input (an assertion in its C++ parser), and a manifest is untrusted input.
enum ManifestTOML {
    enum Value: Equatable {
        case string(String)
        case array([Value])
        /// A value of another TOML type (`integer`, `float`, `boolean`, `table`), by name.
        case other(String)
    }

    struct Failure: Error, Equatable {
        var line: Int
        var column: Int
        var reason: String
    }

    /// The keys and values, in the order written.
    static func parse(_ text: String) throws(Failure) -> [(key: String, value: Value)] {
        var reader = Reader(Array(text.unicodeScalars))
        var result: [(key: String, value: Value)] = []
        var seen = Set<String>()
        while true {
            reader.skipBlankLinesAndComments()
            guard let first = reader.peek else { return result }
            if first == "[" {
                throw reader.failure("tables ([name]) are not part of a plugin manifest: write every key at the top level")
            }
            let (line, column) = (reader.line, reader.column)
            let key = try reader.bareKey()
            guard seen.insert(key).inserted else { throw Failure(line: line, column: column, reason: "the key '\(key)' is defined twice") }
            reader.skipSpaces()
            guard reader.peek == "=" else { throw reader.failure("expected '=' after the key '\(key)'") }
            reader.advance()
            reader.skipSpaces()
            let value = try reader.value(depth: 0)
            reader.skipSpaces()
            if reader.peek == "#" { reader.skipComment() }
            guard reader.peek == nil || reader.peek == "\n" || reader.peek == "\r" else {
                throw reader.failure("expected the end of the line after the value of '\(key)'")
            }
            result.append((key, value))
        }
    }

    private struct Reader {
        let scalars: [Unicode.Scalar]
        var index = 0
        var line = 1
        var column = 1

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        func failure(_ reason: String) -> Failure { Failure(line: line, column: column, reason: reason) }

        mutating func advance() {
            if scalars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }

        mutating func skipSpaces() {
            while let c = peek, c == " " || c == "\t" { advance() }
        }

        mutating func skipComment() {
            while let c = peek, c != "\n" { advance() }
        }

        mutating func skipBlankLinesAndComments() {
            while let c = peek {
                if c == " " || c == "\t" || c == "\r" || c == "\n" { advance() } else if c == "#" { skipComment() } else { return }
            }
        }

        static func isBare(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
        }

        mutating func bareKey() throws(Failure) -> String {
            var key = ""
            while let c = peek, Self.isBare(c) {
                key.unicodeScalars.append(c)
                advance()
                if key.unicodeScalars.count > 64 { throw failure("a key is at most 64 characters") }
            }
            if key.isEmpty {
                throw failure(peek.map { "unexpected '\(Self.show($0))': expected a key (letters, digits, '_' and '-')" } ?? "expected a key")
            }
            return key
        }

        static func show(_ c: Unicode.Scalar) -> String {
            c.value < 0x20 || c.value == 0x7F ? String(format: "\\u%04X", c.value) : String(c)
        }

        mutating func value(depth: Int) throws(Failure) -> Value {
            guard let c = peek, c != "\n", c != "\r", c != "#" else { throw failure("expected a value") }
            switch c {
            case "\"": return .string(try basicString())
            case "'": return .string(try literalString())
            case "[":
                guard depth < 4 else { throw failure("arrays are nested too deep") }
                return try array(depth: depth)
            case "{": throw failure("inline tables are not part of a plugin manifest")
            default:
                var word = ""
                while let c = peek, Self.isBare(c) || c == "." || c == "+" || c == ":" {
                    word.unicodeScalars.append(c)
                    advance()
                    if word.unicodeScalars.count > 64 { break }
                }
                if word == "true" || word == "false" { return .other("boolean") }
                if !word.isEmpty, Int(word.replacingOccurrences(of: "_", with: "")) != nil { return .other("integer") }
                if !word.isEmpty, Double(word.replacingOccurrences(of: "_", with: "")) != nil { return .other("float") }
                throw failure(word.isEmpty
                    ? "unexpected '\(Self.show(c))': expected a value (a \"string\", an array [...], a number or a boolean)"
                    : "'\(word)' is not a value: strings are written in quotes (\"\(word)\")")
            }
        }

        mutating func array(depth: Int) throws(Failure) -> Value {
            advance()  // [
            var items: [Value] = []
            while true {
                skipBlankLinesAndComments()
                guard peek != nil else { throw failure("the array is not closed with ']'") }
                if peek == "]" {
                    advance()
                    return .array(items)
                }
                items.append(try value(depth: depth + 1))
                if items.count > 256 { throw failure("an array holds at most 256 items") }
                skipBlankLinesAndComments()
                if peek == "," {
                    advance()
                } else if peek != "]" {
                    throw failure(peek.map { "unexpected '\(Self.show($0))' in the array: expected ',' or ']'" } ?? "the array is not closed with ']'")
                }
            }
        }

        mutating func literalString() throws(Failure) -> String {
            advance()
            if peek == "'" && index + 1 < scalars.count && scalars[index + 1] == "'" {
                throw failure("multi-line strings are not part of a plugin manifest")
            }
            var text = ""
            while let c = peek, c != "'" {
                guard c != "\n", c != "\r" else { throw failure("the string is not closed on its line") }
                guard c == "\t" || (c.value >= 0x20 && c.value != 0x7F) else { throw failure("control character \(Self.show(c)) in a string") }
                text.unicodeScalars.append(c)
                advance()
            }
            guard peek == "'" else { throw failure("the string is not closed") }
            advance()
            return text
        }

        mutating func basicString() throws(Failure) -> String {
            advance()
            if peek == "\"" && index + 1 < scalars.count && scalars[index + 1] == "\"" {
                throw failure("multi-line strings are not part of a plugin manifest")
            }
            var text = ""
            while let c = peek, c != "\"" {
                guard c != "\n", c != "\r" else { throw failure("the string is not closed on its line") }
                guard c == "\t" || (c.value >= 0x20 && c.value != 0x7F) else { throw failure("control character \(Self.show(c)) in a string") }
                advance()
                guard c == "\\" else {
                    text.unicodeScalars.append(c)
                    continue
                }
                guard let escape = peek else { throw failure("the string is not closed") }
                advance()
                switch escape {
                case "\"": text += "\""
                case "\\": text += "\\"
                case "n": text += "\n"
                case "t": text += "\t"
                case "r": text += "\r"
                case "b": text += "\u{8}"
                case "f": text += "\u{C}"
                case "u", "U":
                    let count = escape == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<count {
                        guard let digit = peek, digit.properties.isASCIIHexDigit else { throw failure("\\\(escape) needs \(count) hexadecimal digits") }
                        hex.unicodeScalars.append(digit)
                        advance()
                    }
                    guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                        throw failure("\\\(escape)\(hex) is not a Unicode scalar value")
                    }
                    text.unicodeScalars.append(scalar)
                default:
                    throw failure("unknown escape \\\(Self.show(escape)) in a string")
                }
            }
            guard peek == "\"" else { throw failure("the string is not closed") }
            advance()
            return text
        }
    }
}
