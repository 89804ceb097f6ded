import JSONValue

/// Values: strings, numbers, booleans, arrays and inline tables.
extension TOMLParser {
    /// The value at the scanner; `depth` counts the tables and arrays around it.
    mutating func value(depth: Int) throws(TOMLError) -> JSONValue {
        guard let c = scanner.peek, c != "\n", c != "\r", c != "#" else { throw scanner.failure("expected a value") }
        switch c {
        case "\"":
            if scanner.peek(at: 1) == "\"" && scanner.peek(at: 2) == "\"" {
                return .string(try scanner.multilineString(literal: false))
            }
            return .string(try scanner.basicString())
        case "'":
            if scanner.peek(at: 1) == "'" && scanner.peek(at: 2) == "'" {
                return .string(try scanner.multilineString(literal: true))
            }
            return .string(try scanner.literalString())
        case "[":
            return try array(depth: depth + 1)
        case "{":
            return try inlineTable(depth: depth + 1)
        default:
            return try scalar()
        }
    }

    private func checkDepth(_ depth: Int) throws(TOMLError) {
        guard depth <= TOMLReader.maximumDepth else {
            throw scanner.failure("nesting deeper than \(TOMLReader.maximumDepth) levels")
        }
    }

    /// `[a, b, ...]` over any number of lines, with comments and an optional trailing comma.
    private mutating func array(depth: Int) throws(TOMLError) -> JSONValue {
        try checkDepth(depth)
        scanner.advance()
        var elements: [JSONValue] = []
        while true {
            try scanner.skipBlankLinesAndComments()
            if scanner.peek == "]" {
                scanner.advance()
                return .array(elements)
            }
            guard scanner.peek != nil else { throw scanner.failure("the array is not closed with ']'") }
            elements.append(try value(depth: depth))
            try scanner.skipBlankLinesAndComments()
            switch scanner.peek {
            case ",": scanner.advance()
            case "]": continue
            case nil: throw scanner.failure("the array is not closed with ']'")
            default: throw scanner.failure("\(scanner.describeNext()) in the array: expected ',' or ']'")
            }
        }
    }

    /// `{ a = 1, b.c = "x" }` on one line, closed for good once read.
    private mutating func inlineTable(depth: Int) throws(TOMLError) -> JSONValue {
        try checkDepth(depth)
        scanner.advance()
        let table = TOMLTable(origin: .header)
        scanner.skipSpaces()
        if scanner.peek == "}" {
            scanner.advance()
            return table.json()
        }
        while true {
            scanner.skipSpaces()
            guard let c = scanner.peek, c != "\n", c != "\r" else {
                throw scanner.failure("the inline table is not closed with '}' (it must be on one line)")
            }
            try keyValue(into: table, depth: depth)
            scanner.skipSpaces()
            switch scanner.peek {
            case ",": scanner.advance()
            case "}":
                scanner.advance()
                return table.json()
            case nil, "\n", "\r":
                throw scanner.failure("the inline table is not closed with '}' (it must be on one line)")
            default:
                throw scanner.failure("\(scanner.describeNext()) in the inline table: expected ',' or '}'")
            }
        }
    }

    /// `true`, `false`, an integer, a float; dates and times are refused.
    private mutating func scalar() throws(TOMLError) -> JSONValue {
        let (line, column) = (scanner.line, scanner.column)
        var token = ""
        while let c = scanner.peek, TOMLScanner.isBareKey(c) || c == "+" || c == "." || c == ":" {
            token.unicodeScalars.append(c)
            scanner.advance()
        }
        func refuse(_ reason: String) -> TOMLError { TOMLError(line: line, column: column, reason: reason) }
        guard !token.isEmpty else {
            throw scanner.failure("\(scanner.describeNext()): expected a value")
        }
        if token == "true" { return .bool(true) }
        if token == "false" { return .bool(false) }
        if Self.looksLikeDateOrTime(token) {
            throw refuse("dates and times are not supported ('\(token)'): write it as a string")
        }
        let first = token.unicodeScalars.first!
        guard first == "+" || first == "-" || first == "i" || first == "n" || ("0"..."9").contains(first) else {
            throw refuse("'\(token)' is not a value: strings are written in quotes (\"\(token)\")")
        }
        return try Self.number(token, refuse: refuse)
    }

    static func looksLikeDateOrTime(_ token: String) -> Bool {
        let s = Array(token.unicodeScalars)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= s.count && range.allSatisfy { ("0"..."9").contains(s[$0]) }
        }
        return (digits(0..<4) && s.count > 4 && s[4] == "-") || (digits(0..<2) && s.count > 2 && s[2] == ":")
    }

    /// A TOML integer (exact, 64 bits) or float.
    static func number(_ token: String, refuse: (String) -> TOMLError) throws(TOMLError) -> JSONValue {
        var body = Substring(token)
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        switch body {
        case "inf": return .number(negative ? -.infinity : .infinity)
        case "nan": return .number(.nan)
        default: break
        }
        if body.count > 1, body.first == "0", let prefix = body.dropFirst().first, "xob".contains(prefix) {
            guard token.first != "+" && token.first != "-" else {
                throw refuse("'\(token)': a sign is not allowed on hexadecimal, octal or binary integers")
            }
            let radix: UInt32 = prefix == "x" ? 16 : prefix == "o" ? 8 : 2
            let digits = try Self.digits(body.dropFirst(2), token: token, refuse: refuse)
            guard digits.unicodeScalars.allSatisfy({ TOMLScanner.hexDigit($0).map { $0 < radix } ?? false }),
                let value = UInt64(digits, radix: Int(radix)) else {
                throw refuse("'\(token)' is not a valid base-\(radix) integer")
            }
            guard value <= UInt64(Int64.max) else { throw refuse("the integer '\(token)' does not fit in 64 bits") }
            return .integer(Int64(value))
        }
        // Decimal: integer part, then optional fraction and exponent.
        let scalars = Array(body.unicodeScalars)
        var i = 0
        func run() -> Substring {
            let start = i
            while i < scalars.count, ("0"..."9").contains(scalars[i]) || scalars[i] == "_" { i += 1 }
            return Substring(String(String.UnicodeScalarView(scalars[start..<i])))
        }
        let integerPart = try Self.digits(run(), token: token, refuse: refuse)
        if integerPart.count > 1 && integerPart.first == "0" {
            throw refuse("leading zeros are not allowed in '\(token)'")
        }
        var isFloat = false
        var text = integerPart
        if i < scalars.count && scalars[i] == "." {
            i += 1
            isFloat = true
            text += "." + (try Self.digits(run(), token: token, refuse: refuse))
        }
        if i < scalars.count && (scalars[i] == "e" || scalars[i] == "E") {
            i += 1
            isFloat = true
            text += "e"
            if i < scalars.count && (scalars[i] == "+" || scalars[i] == "-") {
                text.unicodeScalars.append(scalars[i])
                i += 1
            }
            text += try Self.digits(run(), token: token, refuse: refuse)
        }
        guard i == scalars.count else { throw refuse("'\(token)' is not a valid number") }
        if isFloat {
            guard let value = Double(text), value.isFinite else { throw refuse("'\(token)' is not a valid float") }
            return .number(negative ? -value : value)
        }
        guard let value = Int64((negative ? "-" : "") + text) else {
            throw refuse("the integer '\(token)' does not fit in 64 bits")
        }
        return .integer(value)
    }

    /// Digits with single underscores between them, underscores removed; at least one digit.
    private static func digits(
        _ run: Substring, token: String, refuse: (String) -> TOMLError
    ) throws(TOMLError) -> String {
        guard !run.isEmpty else { throw refuse("'\(token)' is not a valid number") }
        let scalars = Array(run.unicodeScalars)
        for (i, c) in scalars.enumerated() where c == "_" {
            guard i > 0, i < scalars.count - 1, scalars[i - 1] != "_", scalars[i + 1] != "_" else {
                throw refuse("'_' must stand between two digits in '\(token)'")
            }
        }
        return String(run.filter { $0 != "_" })
    }
}
