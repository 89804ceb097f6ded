import Foundation

/// A small, tolerant XML reader for invoice files. It is not a validating parser: it accepts what
/// well-formed UBL and CII files contain (declarations, comments, CDATA, entities, namespaces) and
/// gives up (nil) on anything it cannot balance. Foundation's XMLParser is avoided on purpose: on
/// Linux it lives in FoundationXML, which needs libxml2 at run time, a dependency for little gain here.
enum XMLReader {
    /// Documents deeper than this are refused (a guard against hostile files).
    static let maximumDepth = 256

    /// Parses `bytes` (UTF-8, optional BOM) into its root element, or nil when it is not XML.
    static func parse(_ bytes: [UInt8]) -> XMLElementNode? {
        var reader = Cursor(bytes: bytes)
        return reader.document()
    }

    /// The root element's local name when `parse` would accept `bytes`, else nil: the same walk and
    /// the same checks, without building the tree (no text, attribute value or child is kept), so
    /// recognising a deposit's syntax costs no copy of its content.
    static func rootName(_ bytes: [UInt8]) -> String? {
        var reader = Cursor(bytes: bytes, keepsTree: false)
        return reader.document()?.name
    }

    fileprivate struct Cursor {
        let bytes: [UInt8]
        /// False: only the shape is checked (element names for balance), nothing else is decoded.
        let keepsTree: Bool
        var index = 0
        /// Lines counted up to `lineScanned` (counted lazily, once per byte, for element line numbers).
        var line = 1
        var lineScanned = 0

        init(bytes: [UInt8], keepsTree: Bool = true) {
            self.bytes = bytes
            self.keepsTree = keepsTree
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        mutating func document() -> XMLElementNode? {
            var stack: [XMLElementNode] = []
            var root: XMLElementNode?
            while index < bytes.count {
                if bytes[index] != UInt8(ascii: "<") {
                    guard keepsTree else {
                        skipText()
                        continue
                    }
                    let text = readText()
                    if !stack.isEmpty { stack[stack.count - 1].text += text }
                    continue
                }
                // A start tag unless `<` is followed by `?`, `!` or `/` (most tags: no literal to match).
                let next = index + 1 < bytes.count ? bytes[index + 1] : 0
                let isMarkup = next == UInt8(ascii: "?") || next == UInt8(ascii: "!") || next == UInt8(ascii: "/")
                if isMarkup, matches("<?") {
                    guard skip(past: "?>") else { return nil }
                } else if isMarkup, matches("<!--") {
                    guard skip(past: "-->") else { return nil }
                } else if isMarkup, matches("<![CDATA[") {
                    index += 9
                    let start = index
                    guard skip(past: "]]>") else { return nil }
                    if keepsTree, !stack.isEmpty { stack[stack.count - 1].text += decodeUTF8(start, index - 3) }
                } else if isMarkup, matches("<!") {
                    guard skip(past: ">") else { return nil }
                } else if isMarkup, matches("</") {
                    index += 2
                    guard let name = readLocalName(), skipSpaces(), consume(">"), var element = stack.popLast(),
                        element.name == name
                    else { return nil }
                    if stack.isEmpty {
                        element.text = trim(element.text)
                        root = element
                    } else if keepsTree {
                        element.text = trim(element.text)
                        stack[stack.count - 1].children.append(element)
                    }
                } else {
                    let line = currentLine()
                    index += 1
                    guard let name = readLocalName() else { return nil }
                    var element = XMLElementNode(
                        name: name, attributes: [:], children: [], text: "", line: line)
                    var selfClosing = false
                    while true {
                        _ = skipSpaces()
                        if consume("/>") {
                            selfClosing = true
                            break
                        }
                        if consume(">") { break }
                        guard let attribute = readLocalName(), skipSpaces(), consume("="), skipSpaces(),
                            let value = readQuoted(decoding: keepsTree)
                        else { return nil }
                        if keepsTree { element.attributes[attribute] = value }
                    }
                    if root != nil { return nil }  // content after the root element
                    if selfClosing {
                        if stack.isEmpty {
                            root = element
                        } else if keepsTree {
                            stack[stack.count - 1].children.append(element)
                        }
                    } else {
                        guard stack.count < XMLReader.maximumDepth else { return nil }
                        stack.append(element)
                    }
                }
            }
            return stack.isEmpty ? root : nil
        }

        /// The line of `index`, counting the newlines not counted yet.
        mutating func currentLine() -> Int {
            while lineScanned < index {
                if bytes[lineScanned] == 0x0A { line += 1 }
                lineScanned += 1
            }
            return line
        }

        func matches(_ literal: String) -> Bool {
            // No copy of the literal: `skip(past:)` calls this at every byte of a comment.
            var position = index
            for byte in literal.utf8 {
                guard position < bytes.count, bytes[position] == byte else { return false }
                position += 1
            }
            return true
        }

        mutating func consume(_ literal: String) -> Bool {
            guard matches(literal) else { return false }
            index += literal.utf8.count
            return true
        }

        /// Moves past the next occurrence of `literal`; false when there is none.
        mutating func skip(past literal: String) -> Bool {
            while index < bytes.count {
                if consume(literal) { return true }
                index += 1
            }
            return false
        }

        /// Always true, so it can sit in a `guard` chain.
        mutating func skipSpaces() -> Bool {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            return true
        }

        /// The local name (``XMLReader/localName(_:)``) of the name at `index`, read past; nil when empty.
        mutating func readLocalName() -> String? {
            let start = index
            var colon: Int?
            var isASCII = true
            while index < bytes.count {
                let b = bytes[index]
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
                    || b == UInt8(ascii: "=")
                {
                    break
                }
                if b == UInt8(ascii: ":") { colon = index } else if b >= 0x80 { isASCII = false }
                index += 1
            }
            guard index > start else { return nil }
            // An ASCII name: the last colon byte is the last colon character; no qualified name is built.
            if isASCII { return decodeUTF8(colon.map { $0 + 1 } ?? start, index) }
            return localName(decodeUTF8(start, index))
        }

        /// A quoted attribute value (entities decoded), or "" when `decoding` is false.
        mutating func readQuoted(decoding: Bool = true) -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'")
            else { return nil }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote { index += 1 }
            guard index < bytes.count else { return nil }
            let raw = decoding ? decodeUTF8(start, index) : ""
            index += 1
            return decoding ? decodeEntities(raw) : ""
        }

        mutating func skipText() {
            while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
        }

        mutating func readText() -> String {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
            return decodeEntities(decodeUTF8(start, index))
        }

        func decodeUTF8(_ start: Int, _ end: Int) -> String {
            String(decoding: bytes[start..<end], as: UTF8.self)
        }
    }

    /// Whether the UTF-8 of `text` holds `byte` (memchr on the contiguous storage of native strings).
    static func containsByte(_ text: String, _ byte: UInt8) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        } ?? text.utf8.contains(byte)
    }

    /// The name after its last `:` (the namespace prefix dropped), as a character search finds it.
    static func localName(_ qualified: String) -> String {
        // Names are ASCII in practice: a byte search then finds the same colon as a character search,
        // for a fraction of the cost (every element and attribute of every deposit goes through here).
        let utf8 = qualified.utf8
        if !utf8.contains(where: { $0 >= 0x80 }) {
            guard let colon = utf8.lastIndex(of: UInt8(ascii: ":")) else { return qualified }
            return String(qualified[utf8.index(after: colon)...])
        }
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    /// The text without its leading and trailing whitespace characters (`Character.isWhitespace`).
    static func trim(_ text: String) -> String {
        // Fast path on bytes while the whitespace at both ends is ASCII and what it meets is ASCII: an
        // ASCII space then forms a character of its own (a combining mark or any other extension is not
        // ASCII), so the byte trim removes exactly the characters the character trim removes. Otherwise
        // the character trim (Unicode whitespace, a space carrying a combining mark).
        let utf8 = text.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        var start = utf8.startIndex
        while start != utf8.endIndex, isSpace(utf8[start]) { start = utf8.index(after: start) }
        if start == utf8.endIndex { return "" }
        var end = utf8.endIndex
        while isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        let atStart = utf8[start]
        let atEnd = utf8[utf8.index(before: end)]
        if atStart < 0x80, atEnd < 0x80 {
            if start == utf8.startIndex, end == utf8.endIndex { return text }
            return String(text[start..<end])
        }
        var scalars = Substring(text)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// Replaces the five predefined entities and numeric character references.
    static func decodeEntities(_ text: String) -> String {
        // A byte search: `String.contains("&")` compares characters, 100 ms on a 10 Mo text node.
        guard containsByte(text, UInt8(ascii: "&")) else { return text }
        var output = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";"),
                rest.distance(from: amp, to: semicolon) <= 10
            else {
                output += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "amp": output += "&"
            case "lt": output += "<"
            case "gt": output += ">"
            case "quot": output += "\""
            case "apos": output += "'"
            default:
                var code: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    code = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    code = UInt32(entity.dropFirst())
                }
                if let code, let scalar = Unicode.Scalar(code) {
                    output.unicodeScalars.append(scalar)
                } else {
                    output += "&" + entity + ";"
                }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return output + rest
    }
}

extension XMLReader.Cursor {
    fileprivate func localName(_ name: String) -> String { XMLReader.localName(name) }
    fileprivate func trim(_ text: String) -> String { XMLReader.trim(text) }
    fileprivate func decodeEntities(_ text: String) -> String { XMLReader.decodeEntities(text) }
}
