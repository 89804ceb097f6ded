import JSONValue

/// Why a TOML document was refused, with the position (1-based line and column, in characters) of
/// the offending character.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let reason: String

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "line \(line), column \(column): \(reason)" }
}

/// A strict TOML reader (the configuration file and simulator scenarios) producing a `JSONValue` tree.
///
/// Our own because the C++ parser under the TOML library we used aborted the process (an assertion)
/// on some malformed input, and these files are untrusted. It reads TOML 1.0 except dates and times,
/// which are refused with a clear reason; integers stay exact (`.integer`), floats are `.number`.
/// Within a budget: a size cap and a nesting cap, so that no input can exhaust the stack or memory.
public enum TOMLReader {
    /// Largest document read, in bytes.
    public static let maximumBytes = 1 << 20
    /// Deepest nesting of tables, arrays and inline tables (header and dotted key segments count).
    public static let maximumDepth = 64

    /// Reads `text`; the top level is always an object.
    public static func parse(_ text: String) throws(TOMLError) -> JSONValue {
        try document(text).value
    }

    /// Reads UTF-8 bytes; invalid UTF-8 is refused at its position.
    public static func parse(_ bytes: [UInt8]) throws(TOMLError) -> JSONValue {
        try document(bytes).value
    }

    /// Reads `text`, with the place of each top-level key.
    public static func document(_ text: String) throws(TOMLError) -> TOMLDocument {
        let size = text.utf8.count
        guard size <= maximumBytes else {
            throw TOMLError(
                line: 1, column: 1, reason: "the document is \(size) bytes, more than the \(maximumBytes)-byte limit")
        }
        var parser = TOMLParser(scanner: TOMLScanner(Array(text.unicodeScalars)))
        try parser.document()
        return TOMLDocument(value: parser.root.json(), keys: parser.topLevelKeys)
    }

    /// Reads UTF-8 bytes, with the place of each top-level key; invalid UTF-8 is refused at its position.
    public static func document(_ bytes: [UInt8]) throws(TOMLError) -> TOMLDocument {
        guard bytes.count <= maximumBytes else {
            throw TOMLError(
                line: 1, column: 1,
                reason: "the document is \(bytes.count) bytes, more than the \(maximumBytes)-byte limit")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.utf8.count != bytes.count || !text.utf8.elementsEqual(bytes) {
            // Locate the first byte sequence that did not decode, to point at it.
            var line = 1
            var column = 1
            var iterator = bytes.makeIterator()
            var decoder = UTF8()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
                case .emptyInput: break loop
                case .error: break loop
                }
            }
            throw TOMLError(line: line, column: column, reason: "the document is not valid UTF-8")
        }
        return try document(text)
    }
}

/// A table being built: tracks how it came to exist, which decides what may still extend it.
final class TOMLTable {
    enum Origin {
        /// Created as the parent of a `[header]` or `[[header]]`: a later `[header]` may define it.
        case implicit
        /// Defined by its own `[header]` (or an element of `[[header]]`).
        case header
        /// Created by a dotted key (`a.b = 1`): only further dotted keys in the same table extend it.
        case dotted
    }

    enum Entry {
        case value(JSONValue)
        case table(TOMLTable)
        case tables([TOMLTable])
    }

    var origin: Origin
    var entries: [String: Entry] = [:]

    init(origin: Origin) { self.origin = origin }

    func json() -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (key, entry) in entries {
            switch entry {
            case .value(let value): members[key] = value
            case .table(let table): members[key] = table.json()
            case .tables(let tables): members[key] = .array(tables.map { $0.json() })
            }
        }
        return .object(members)
    }
}

/// One key segment with the position where it was written (for errors).
struct TOMLKey {
    var name: String
    var line: Int
    var column: Int
}

/// The document grammar: lines of `key = value`, `[table]` and `[[array.of.tables]]`.
struct TOMLParser {
    var scanner: TOMLScanner
    let root = TOMLTable(origin: .header)
    /// The table `key = value` lines go into, and the nesting depth of its header.
    var current: TOMLTable
    var currentDepth = 0
    /// The top-level keys in the order first written, with their places (`TOMLDocument.keys`).
    var topLevelKeys: [TOMLKeyPosition] = []
    private var topLevelNames = Set<String>()

    init(scanner: TOMLScanner) {
        self.scanner = scanner
        current = root
    }

    mutating func document() throws(TOMLError) {
        while true {
            try scanner.skipBlankLinesAndComments()
            guard let first = scanner.peek else { return }
            if first == "[" {
                try header()
                try scanner.expectEndOfLine(after: "the table header")
            } else {
                let key = try keyValue(into: current, depth: currentDepth)
                try scanner.expectEndOfLine(after: "the value of '\(key)'")
            }
        }
    }

    /// `[a.b]` or `[[a.b]]`.
    mutating func header() throws(TOMLError) {
        let (line, column) = (scanner.line, scanner.column)
        scanner.advance()
        let isArray = scanner.peek == "["
        if isArray { scanner.advance() }
        scanner.skipSpaces()
        guard scanner.peek != nil, scanner.peek != "\n", scanner.peek != "\r" else {
            throw scanner.failure("expected a table name after '\(isArray ? "[[" : "[")'")
        }
        let path = try key(depth: 0)
        scanner.skipSpaces()
        let closing = isArray ? "]]" : "]"
        guard scanner.peek == "]", !isArray || scanner.peek(at: 1) == "]" else {
            throw scanner.failure(
                "\(scanner.describeNext()) in the table header: expected '\(closing)' to close it")
        }
        scanner.advance()
        if isArray { scanner.advance() }
        noteTopLevel(path, form: .header, line: line, column: column, valueLine: line, valueColumn: column)
        var table = root
        for segment in path.dropLast() {
            table = try descend(table, into: segment, path: path)
        }
        let last = path[path.count - 1]
        let name = Self.dotted(path)
        switch table.entries[last.name] {
        case nil:
            let defined = TOMLTable(origin: .header)
            table.entries[last.name] = isArray ? .tables([defined]) : .table(defined)
            current = defined
        case .table(let existing):
            guard !isArray else {
                throw TOMLError(
                    line: last.line, column: last.column,
                    reason: "[[\(name)]] is an array of tables but \(name) is already a table")
            }
            guard existing.origin == .implicit else {
                throw TOMLError(line: last.line, column: last.column, reason: "the table [\(name)] is defined twice")
            }
            existing.origin = .header
            current = existing
        case .tables:
            guard isArray else {
                throw TOMLError(
                    line: last.line, column: last.column,
                    reason: "[\(name)] is a table but \(name) is already an array of tables ([[\(name)]])")
            }
            // Taken out of the dictionary first so the append is in place: copying the array for each
            // `[[name]]` would make a megabyte of them quadratic.
            guard case .tables(var tables) = table.entries.removeValue(forKey: last.name) else { return }
            let defined = TOMLTable(origin: .header)
            tables.append(defined)
            table.entries[last.name] = .tables(tables)
            current = defined
        case .value:
            throw TOMLError(
                line: last.line, column: last.column,
                reason: "the key '\(name)' already holds a value, it cannot become a table")
        }
        currentDepth = path.count
    }

    /// The table `segment` of `table` on the way to a header, created when missing.
    private func descend(_ table: TOMLTable, into segment: TOMLKey, path: [TOMLKey]) throws(TOMLError) -> TOMLTable {
        switch table.entries[segment.name] {
        case nil:
            let created = TOMLTable(origin: .implicit)
            table.entries[segment.name] = .table(created)
            return created
        case .table(let existing):
            return existing
        case .tables(let tables):
            return tables[tables.count - 1]
        case .value:
            throw TOMLError(
                line: segment.line, column: segment.column,
                reason: "the key '\(segment.name)' already holds a value, it cannot become a table")
        }
    }

    /// `a.b.c = value` into `table`; returns the key as written (`a.b.c`), for errors after the value.
    @discardableResult
    mutating func keyValue(into table: TOMLTable, depth: Int) throws(TOMLError) -> String {
        let path = try key(depth: depth)
        scanner.skipSpaces()
        guard scanner.peek == "=" else {
            throw scanner.failure("\(scanner.describeNext()) after the key '\(Self.dotted(path))': expected '='")
        }
        scanner.advance()
        scanner.skipSpaces()
        if table === root {
            noteTopLevel(
                path, form: path.count > 1 ? .dottedKey : .value, line: path[0].line, column: path[0].column,
                valueLine: scanner.line, valueColumn: scanner.column)
        }
        let value = try self.value(depth: depth + path.count)
        var target = table
        for segment in path.dropLast() {
            switch target.entries[segment.name] {
            case nil:
                let created = TOMLTable(origin: .dotted)
                target.entries[segment.name] = .table(created)
                target = created
            case .table(let existing) where existing.origin == .dotted:
                target = existing
            default:
                throw TOMLError(
                    line: segment.line, column: segment.column,
                    reason: "the key '\(segment.name)' is already defined; a dotted key cannot extend it")
            }
        }
        let last = path[path.count - 1]
        guard target.entries[last.name] == nil else {
            throw TOMLError(
                line: last.line, column: last.column, reason: "the key '\(Self.dotted(path))' is defined twice")
        }
        target.entries[last.name] = .value(value)
        return Self.dotted(path)
    }

    /// A key of one or more segments separated by '.', each bare or quoted.
    mutating func key(depth: Int) throws(TOMLError) -> [TOMLKey] {
        var path: [TOMLKey] = []
        while true {
            let (line, column) = (scanner.line, scanner.column)
            path.append(TOMLKey(name: try scanner.keySegment(), line: line, column: column))
            guard depth + path.count <= TOMLReader.maximumDepth else {
                throw TOMLError(
                    line: line, column: column, reason: "nesting deeper than \(TOMLReader.maximumDepth) levels")
            }
            scanner.skipSpaces()
            guard scanner.peek == "." else { return path }
            scanner.advance()
            scanner.skipSpaces()
        }
    }

    /// Records where a top-level key was first written.
    private mutating func noteTopLevel(
        _ path: [TOMLKey], form: TOMLKeyPosition.Form, line: Int, column: Int, valueLine: Int, valueColumn: Int
    ) {
        guard topLevelNames.insert(path[0].name).inserted else { return }
        topLevelKeys.append(
            TOMLKeyPosition(
                name: path[0].name, path: Self.dotted(path), form: form, line: line, column: column,
                valueLine: valueLine, valueColumn: valueColumn))
    }

    static func dotted(_ path: [TOMLKey]) -> String {
        path.map { key in
            key.name.unicodeScalars.allSatisfy(TOMLScanner.isBareKey) && !key.name.isEmpty
                ? key.name : "\"\(key.name)\""
        }.joined(separator: ".")
    }
}
