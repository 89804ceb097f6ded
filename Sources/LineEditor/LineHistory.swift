import Foundation

/// The history of entered lines, kept in a file across sessions: deduplicated (entering a line again
/// moves it to the end) and capped (the oldest entries go first). One entry per line of the file,
/// with `\` and newlines escaped, so a multi-line entry comes back whole.
public final class LineHistory {
    /// Entries, oldest first.
    public private(set) var entries: [String] = []
    /// Where the history is kept; nil keeps it in memory only.
    public let file: URL?
    /// Most entries kept.
    public let limit: Int
    /// Entries longer than this are not recorded (a pasted file is not history).
    public static let maximumEntryBytes = 64 * 1024
    /// A history file larger than this is not read (it is not ours, or it is damaged).
    public static let maximumFileBytes = 16 << 20

    public init(file: URL?, limit: Int = 1000) {
        self.file = file
        self.limit = max(1, limit)
        load()
    }

    /// Records `entry` (trailing newlines removed); blank and oversized entries are skipped. Saves the file.
    public func add(_ entry: String) {
        var entry = entry
        while entry.hasSuffix("\n") { entry.removeLast() }
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty, entry.utf8.count <= Self.maximumEntryBytes else {
            return
        }
        entries.removeAll { $0 == entry }
        entries.append(entry)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        save()
    }

    private func load() {
        guard let file, let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            (attributes[.size] as? Int ?? 0) <= Self.maximumFileBytes,
            let data = FileManager.default.contents(atPath: file.path)
        else { return }
        var seen: [String] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            let entry = Self.unescape(String(line))
            seen.removeAll { $0 == entry }
            seen.append(entry)
        }
        entries = Array(seen.suffix(limit))
    }

    /// Writes the file (owner-only: lines may hold identifiers), through a temporary file and a rename.
    private func save() {
        guard let file else { return }
        let folder = file.deletingLastPathComponent()
        try? FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let text = entries.map(Self.escape).joined(separator: "\n") + "\n"
        let temporary = folder.appendingPathComponent("." + file.lastPathComponent + ".\(getpid()).tmp")
        guard
            FileManager.default.createFile(
                atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { return }
        if rename(temporary.path, file.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    }

    static func escape(_ entry: String) -> String {
        entry.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ line: String) -> String {
        var out = ""
        var escaped = false
        for c in line {
            if escaped {
                out.append(c == "n" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
