/// A dictionary of records that remembers which keys changed since the last save, and what each of them
/// held before: the state file is written incrementally (only the changed records), and a save that
/// fails is undone record by record, so neither costs in proportion to everything kept.
///
/// It encodes as the plain dictionary (the JSON of `/_sim/state` and of older state files).
public struct RecordTable<Key: Hashable & Sendable & Codable, Value: Sendable & Codable & Equatable>: Sendable {
    private(set) var records: [Key: Value] = [:]
    /// Keys changed since the last `commit()`, with their value before the first change (nil: absent).
    private(set) var changes: [Key: Value?] = [:]

    /// An empty table.
    public init() {}

    /// A table holding `records` (not counted as changes).
    init(_ records: [Key: Value]) { self.records = records }

    /// The record of `key`; setting it (nil removes it) records the change.
    public subscript(key: Key) -> Value? {
        get { records[key] }
        set {
            if changes.index(forKey: key) == nil { changes[key] = .some(records[key]) }
            records[key] = newValue
        }
    }

    /// How many records.
    public var count: Int { records.count }
    /// Whether there is none.
    public var isEmpty: Bool { records.isEmpty }
    /// The keys, in no order.
    public var keys: Dictionary<Key, Value>.Keys { records.keys }
    /// The records, in no order.
    public var values: Dictionary<Key, Value>.Values { records.values }

    /// Removes the records matching `shouldRemove` (each removal is a change).
    mutating func removeAll(where shouldRemove: (Value) -> Bool) {
        // The keys first: removing while iterating would copy the whole dictionary.
        let removed = records.compactMap { shouldRemove($0.value) ? $0.key : nil }
        for key in removed { self[key] = nil }
    }

    /// Whether some record changed since the last `commit()`.
    var hasChanges: Bool { !changes.isEmpty }

    /// The changed keys with their value now (nil: removed).
    var changed: [(key: Key, value: Value?)] { changes.keys.map { ($0, records[$0]) } }

    /// Every record, as `changed` lists them (for a full save).
    var all: [(key: Key, value: Value?)] { records.map { ($0.key, Optional($0.value)) } }

    /// Forgets the changes (they are saved).
    mutating func commit() { changes.removeAll(keepingCapacity: true) }

    /// Puts back what the changed keys held at the last `commit()`.
    mutating func rollback() {
        for (key, old) in changes { records[key] = old }
        changes.removeAll(keepingCapacity: true)
    }

    /// Marks every record as changed (the whole table is written at the next save).
    mutating func touchAll() {
        for key in records.keys where changes.index(forKey: key) == nil { changes[key] = .some(records[key]) }
    }
}

extension RecordTable: Sequence {
    public func makeIterator() -> Dictionary<Key, Value>.Iterator { records.makeIterator() }
}

extension RecordTable: Equatable {
    /// Two tables are equal when their records are (pending changes are bookkeeping).
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.records == rhs.records }
}

extension RecordTable: Codable {
    public init(from decoder: Decoder) throws {
        records = try decoder.singleValueContainer().decode([Key: Value].self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(records)
    }
}

extension RecordTable: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (Key, Value)...) {
        self.init(Dictionary(uniqueKeysWithValues: elements))
    }
}
