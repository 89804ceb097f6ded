/// A Lua value as an interactive session shows it: read with raw access only (no metamethod runs),
/// within depth and width limits, with cycles marked. Unlike `LuaValue` it keeps what cannot be
/// copied out (functions, userdata, cycles, metatables' names).
public indirect enum InspectedValue: Sendable, Equatable {
    case `nil`
    /// The namespace's `null` (JSON null).
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    /// A string; `truncatedBytes` counts what was left out past the width limit.
    case string(String, truncatedBytes: Int)
    /// A function, a userdata or a thread: its type and identity (`function: 0x...`), or its
    /// metatable's `__name` for a userdata.
    case opaque(String)
    case table(InspectedTable)
    /// A table already being shown further up (a cycle): its identity.
    case cycle(String)
    /// A table past the depth limit: its identity.
    case deep(String)
    /// An error raised as a table (the namespace's `Error`): its fields that are plain values.
    case error([String: LuaValue])
}

/// One table's entries: the array part first (1..n), then the other keys sorted.
public struct InspectedTable: Sendable, Equatable {
    /// The `__name` of its metatable, if any (e.g. a class name).
    public var typeName: String?
    /// `t[1]`...`t[n]`, with no hole.
    public var array: [InspectedValue]
    /// The other entries, keys sorted (strings alphabetically, then numbers, then others).
    public var fields: [(key: InspectedKey, value: InspectedValue)]
    /// Entries left out past the width limit.
    public var omitted: Int
    /// Whether the table is marked as a JSON array or object by the namespace (`array`/`object`).
    public var marker: String?

    public init(
        typeName: String?, array: [InspectedValue], fields: [(key: InspectedKey, value: InspectedValue)], omitted: Int,
        marker: String?
    ) {
        self.typeName = typeName
        self.array = array
        self.fields = fields
        self.omitted = omitted
        self.marker = marker
    }

    public static func == (a: InspectedTable, b: InspectedTable) -> Bool {
        a.typeName == b.typeName && a.array == b.array && a.omitted == b.omitted && a.marker == b.marker
            && a.fields.map(\.key) == b.fields.map(\.key) && a.fields.map(\.value) == b.fields.map(\.value)
    }
}

/// A table key as shown.
public enum InspectedKey: Sendable, Equatable, Comparable {
    case string(String)
    case integer(Int64)
    case number(Double)
    /// Any other key (a boolean, a table...): its description.
    case other(String)

    private var rank: Int {
        switch self {
        case .string: return 0
        case .integer, .number: return 1
        case .other: return 2
        }
    }

    private var numeric: Double {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return 0
        }
    }

    public static func < (a: InspectedKey, b: InspectedKey) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x < y
        case (.other(let x), .other(let y)): return x < y
        default: return a.numeric < b.numeric
        }
    }
}

/// How much of a value is shown.
public struct InspectLimits: Sendable {
    /// Nesting levels shown; deeper tables show as `{...}`.
    public var depth: Int
    /// Entries shown per table.
    public var width: Int
    /// Characters shown per string.
    public var stringLength: Int
    /// Entries shown in all (a big nested result stays readable).
    public var total: Int

    public init(depth: Int = 4, width: Int = 50, stringLength: Int = 2000, total: Int = 2000) {
        self.depth = depth
        self.width = width
        self.stringLength = stringLength
        self.total = total
    }
}
