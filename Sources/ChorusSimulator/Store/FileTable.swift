/// A file an invoice or an attachment names: its key in the state's ``FileTable`` and its size. Records
/// carry this, never the content, so changing a record never copies or rewrites its file.
public struct StoredFile: Codable, Sendable, Equatable {
    /// Key of the content in ``SimulatorState/files``.
    public var key: String
    /// Size in bytes.
    public var size: Int
}

/// Where saved file contents are read back from (the state file), so they need not stay in memory.
protocol FileSource: Sendable {
    /// The content saved under `key`, or nil.
    func content(of key: String) -> [UInt8]?
}

/// The contents of deposited files and attachments, by key. Without a state file every content stays
/// here; with one, a content is kept until it is saved, then read back from the file when asked for.
public struct FileTable: Sendable {
    private(set) var memory = RecordTable<String, [UInt8]>()
    var source: (any FileSource)?

    public init() {}

    /// The content of `key`.
    public subscript(key: String) -> [UInt8]? {
        memory[key] ?? source?.content(of: key)
    }

    /// Keeps `bytes` under `key` and returns the reference a record keeps.
    mutating func put(_ bytes: [UInt8], key: String) -> StoredFile {
        memory[key] = bytes
        return StoredFile(key: key, size: bytes.count)
    }

    /// Forgets the content of `key`.
    mutating func remove(_ key: String) { memory[key] = nil }

    /// The keys written (content) or removed (nil) since the last commit.
    var changed: [(key: String, value: [UInt8]?)] { memory.changed }
    var hasChanges: Bool { memory.hasChanges }

    /// The changes are saved; with `dropSaved`, the contents are read back from the source from now on.
    mutating func commit(dropSaved: Bool) {
        memory.commit()
        if dropSaved { memory = RecordTable() }
    }

    /// Undoes the changes since the last commit.
    mutating func rollback() { memory.rollback() }
}

extension FileTable: Equatable {
    /// Contents in memory only: what a source holds is not compared.
    public static func == (lhs: FileTable, rhs: FileTable) -> Bool { lhs.memory == rhs.memory }
}
