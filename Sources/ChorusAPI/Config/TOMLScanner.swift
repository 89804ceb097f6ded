/// Characters of a TOML document with the position of the next one: spaces, comments, line ends,
/// keys and strings. Every refusal names the line and column of the character at fault.
struct TOMLScanner {
    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    var column = 1

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    func peek(at offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    mutating func advance() {
        guard index < scalars.count else { return }
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    func failure(_ reason: String) -> TOMLError { TOMLError(line: line, column: column, reason: reason) }

    /// "unexpected 'x'" or "the end of the document", for reasons.
    func describeNext() -> String {
        guard let next = peek else { return "unexpected end of the document" }
        switch next {
        case "\n", "\r": return "unexpected end of the line"
        default: return "unexpected \(Self.quoted(next))"
        }
    }

    static func quoted(_ scalar: Unicode.Scalar) -> String {
        if scalar.value < 0x20 || scalar.value == 0x7F {
            return "control character \\u\(hex4(scalar.value))"
        }
        return "'\(Character(scalar))'"
    }

    static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func isBareKey(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": return true
        default: return false
        }
    }

    mutating func skipSpaces() {
        while peek == " " || peek == "\t" { advance() }
    }

    /// A `# comment` up to (not including) the line end; control characters other than tab are refused.
    mutating func skipComment() throws(TOMLError) {
        guard peek == "#" else { return }
        advance()
        while let c = peek, c != "\n" {
            if c == "\r" && peek(at: 1) == "\n" { return }
            if c.value < 0x20 && c != "\t" || c.value == 0x7F {
                throw failure("\(Self.quoted(c)) in a comment")
            }
            advance()
        }
    }

    /// Consumes a line end (`\n` or `\r\n`); false when the next character is not one.
    mutating func newline() throws(TOMLError) -> Bool {
        if peek == "\n" {
            advance()
            return true
        }
        if peek == "\r" {
            guard peek(at: 1) == "\n" else { throw failure("a carriage return must be followed by a line feed") }
            advance()
            advance()
            return true
        }
        return false
    }

    mutating func skipBlankLinesAndComments() throws(TOMLError) {
        while true {
            skipSpaces()
            try skipComment()
            if try !newline() { return }
        }
    }

    /// Spaces, an optional comment, then a line end or the end of the document.
    mutating func expectEndOfLine(after what: String) throws(TOMLError) {
        skipSpaces()
        try skipComment()
        if peek == nil { return }
        if try !newline() {
            throw failure("\(describeNext()) after \(what): expected the end of the line")
        }
    }

    /// One segment of a key: bare (`a-b_1`), basic (`"a b"`) or literal (`'a b'`).
    mutating func keySegment() throws(TOMLError) -> String {
        switch peek {
        case "\"":
            if peek(at: 1) == "\"" && peek(at: 2) == "\"" { throw failure("a key cannot be a multi-line string") }
            return try basicString()
        case "'":
            if peek(at: 1) == "'" && peek(at: 2) == "'" { throw failure("a key cannot be a multi-line string") }
            return try literalString()
        default:
            var key = ""
            while let c = peek, Self.isBareKey(c) {
                key.unicodeScalars.append(c)
                advance()
            }
            guard !key.isEmpty else {
                throw failure(
                    "\(describeNext()): expected a key (letters, digits, '_' and '-', or a quoted string)")
            }
            return key
        }
    }

    /// `"..."` with escapes, on one line.
    mutating func basicString() throws(TOMLError) -> String {
        advance()
        var result = ""
        while true {
            guard let c = peek, c != "\n", c != "\r" || peek(at: 1) != "\n" else {
                throw failure("the string is not closed")
            }
            switch c {
            case "\"":
                advance()
                return result
            case "\\":
                try escape(into: &result, multiline: false)
            default:
                try checkControl(c, in: "a string")
                result.unicodeScalars.append(c)
                advance()
            }
        }
    }

    /// `'...'`, verbatim, on one line.
    mutating func literalString() throws(TOMLError) -> String {
        advance()
        var result = ""
        while true {
            guard let c = peek, c != "\n", c != "\r" || peek(at: 1) != "\n" else {
                throw failure("the string is not closed")
            }
            if c == "'" {
                advance()
                return result
            }
            try checkControl(c, in: "a string")
            result.unicodeScalars.append(c)
            advance()
        }
    }

    /// `"""..."""` or `'''...'''`: a line end right after the opening is dropped; in basic ones a
    /// backslash at the end of a line removes the line end and the blanks that follow.
    mutating func multilineString(literal: Bool) throws(TOMLError) -> String {
        let quote: Unicode.Scalar = literal ? "'" : "\""
        advance()
        advance()
        advance()
        _ = try newline()
        var result = ""
        while true {
            guard let c = peek else { throw failure("the multi-line string is not closed") }
            if c == quote && peek(at: 1) == quote && peek(at: 2) == quote {
                var count = 0
                while peek == quote && count < 6 {
                    advance()
                    count += 1
                }
                guard count <= 5 else { throw failure("too many quotes closing the multi-line string") }
                for _ in 0..<(count - 3) { result.unicodeScalars.append(quote) }
                return result
            }
            if c == "\n" || c == "\r" {
                _ = try newline()
                result.unicodeScalars.append("\n")
                continue
            }
            if c == "\\" && !literal {
                try escape(into: &result, multiline: true)
                continue
            }
            try checkControl(c, in: "a string")
            result.unicodeScalars.append(c)
            advance()
        }
    }

    func checkControl(_ c: Unicode.Scalar, in place: String) throws(TOMLError) {
        if c.value < 0x20 && c != "\t" || c.value == 0x7F {
            throw failure("\(Self.quoted(c)) in \(place)")
        }
    }

    /// A backslash escape, the scanner on the backslash.
    mutating func escape(into result: inout String, multiline: Bool) throws(TOMLError) {
        let (line, column) = (self.line, self.column)
        advance()
        guard let c = peek else { throw failure("the string is not closed") }
        switch c {
        case "b": result.unicodeScalars.append("\u{8}")
        case "t": result.unicodeScalars.append("\t")
        case "n": result.unicodeScalars.append("\n")
        case "f": result.unicodeScalars.append("\u{C}")
        case "r": result.unicodeScalars.append("\r")
        case "\"": result.unicodeScalars.append("\"")
        case "\\": result.unicodeScalars.append("\\")
        case "u", "U":
            let length = c == "u" ? 4 : 8
            advance()
            var value: UInt32 = 0
            for _ in 0..<length {
                guard let d = peek, let digit = Self.hexDigit(d)
                else {
                    throw TOMLError(
                        line: line, column: column,
                        reason: "\\\(c) must be followed by \(length) hexadecimal digits")
                }
                value = value &* 16 &+ digit
                advance()
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw TOMLError(
                    line: line, column: column,
                    reason: "\\\(c)\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value")
            }
            result.unicodeScalars.append(scalar)
            return
        case " ", "\t", "\n", "\r":
            guard multiline else {
                throw TOMLError(line: line, column: column, reason: "unknown escape \\\(Self.printable(c)) in a string")
            }
            // A line-ending backslash: only blanks may follow it on its line.
            var probe = self
            probe.skipSpaces()
            guard probe.peek == "\n" || probe.peek == "\r" else {
                throw TOMLError(line: line, column: column, reason: "unknown escape \\\(Self.printable(c)) in a string")
            }
            self = probe
            while true {
                skipSpaces()
                if try !newline() { return }
            }
        default:
            throw TOMLError(line: line, column: column, reason: "unknown escape \\\(Self.printable(c)) in a string")
        }
        advance()
    }

    static func printable(_ c: Unicode.Scalar) -> String {
        c.value < 0x20 || c.value == 0x7F ? "u\(hex4(c.value))" : String(Character(c))
    }

    static func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 0x30
        case "a"..."f": return c.value - 0x61 + 10
        case "A"..."F": return c.value - 0x41 + 10
        default: return nil
        }
    }
}
