import JSONValue

/// A TOML document read with the place of each top-level key, for readers that check the values
/// after parsing and must still point at a line (the plugin manifest).
public struct TOMLDocument: Sendable, Equatable {
    /// The document, an object.
    public let value: JSONValue
    /// The top-level keys, in the order first written.
    public let keys: [TOMLKeyPosition]
}

/// Where a top-level key was first written, and how.
public struct TOMLKeyPosition: Sendable, Equatable {
    public enum Form: Sendable, Equatable {
        /// `key = value`.
        case value
        /// `key.other = value`: a table made by a dotted key.
        case dottedKey
        /// `[key]`, `[key.other]` or `[[key]]`: a table made by a header.
        case header
    }

    /// The key's name (the first segment of a dotted key or header).
    public let name: String
    /// The key or header as written, dotted (`plugin.name`, `plugin`).
    public let path: String
    public let form: Form
    /// Where the key (for a header: its `[`) is written, 1-based.
    public let line: Int
    public let column: Int
    /// Where its value starts (for a header: its `[`).
    public let valueLine: Int
    public let valueColumn: Int

    public init(name: String, path: String, form: Form, line: Int, column: Int, valueLine: Int, valueColumn: Int) {
        self.name = name
        self.path = path
        self.form = form
        self.line = line
        self.column = column
        self.valueLine = valueLine
        self.valueColumn = valueColumn
    }
}
