import CArchive

/// Reads the archives a deposit may carry several invoices in (`.zip`, `.tar`, `.tar.gz`), as
/// production clients send invoice lots, through libarchive. Entries are returned in archive order,
/// directories and links skipped. Reading is bounded by a `Budget`: an archive is untrusted input, and a
/// few kilobytes of ZIP can claim gigabytes.
public enum InvoiceArchive {
    /// One file of an archive.
    public struct Entry: Sendable, Equatable {
        /// Path inside the archive.
        public var name: String
        /// Content.
        public var bytes: [UInt8]

        /// An entry named `name` holding `bytes`.
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// What reading one archive may cost.
    public struct Budget: Sendable, Equatable {
        /// Files (and other entries) in the archive.
        public var maximumEntries = 1000
        /// Bytes of one file once inflated (the platform's limit for one invoice file: 10 Mo).
        public var maximumEntryBytes = 10 * 1024 * 1024
        /// Bytes of all entries once inflated, counting entries that are skipped.
        public var maximumTotalBytes = 64 * 1024 * 1024
        /// Compression layers around the archive (`.tar.gz` is one); archives inside the archive are
        /// never opened: an entry that is itself an archive is refused.
        public var maximumCompressionLayers = 1

        /// The default budget (the simulator's and the client's).
        public init() {}
    }

    /// Why an archive was refused although it could be read.
    public enum Refusal: Error, Equatable, Sendable {
        /// More than `Budget.maximumEntries` entries.
        case tooManyEntries(limit: Int)
        /// One file inflates past `Budget.maximumEntryBytes`.
        case entryTooLarge(name: String, limit: Int)
        /// All entries together inflate past `Budget.maximumTotalBytes`.
        case tooLarge(limit: Int)
        /// An archive inside the archive, or compression inside compression.
        case nested(name: String)
        /// libarchive, loaded on first use, is missing or unusable: `reason` says which and how to fix it.
        case libraryUnavailable(reason: String)
    }

    /// The files of `bytes` when it is a ZIP, tar or gzip-compressed tar archive; nil otherwise (or
    /// corrupt, or over the default budget).
    public static func entries(in bytes: [UInt8]) -> [Entry]? {
        (try? read(bytes)) ?? nil
    }

    /// Whether `bytes` starts like an archive this reader opens (ZIP, gzip, ustar/GNU tar).
    public static func looksLikeArchive(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return true
        }
        if bytes.starts(with: [0x1F, 0x8B]) { return true }
        return bytes.count >= 512 && bytes[257..<262].elementsEqual("ustar".utf8)
    }

    /// The files of `bytes` within `budget`: nil when it is not an archive or is corrupt, a `Refusal`
    /// when it is one but exceeds the budget.
    public static func read(_ bytes: [UInt8], budget: Budget = Budget()) throws(Refusal) -> [Entry]? {
        guard looksLikeArchive(bytes) else { return nil }
        try requireLibrary()
        guard let archive = archive_read_new() else { return nil }
        defer { archive_read_free(archive) }
        archive_read_support_filter_gzip(archive)
        archive_read_support_format_zip(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        let result: Result<[Entry]?, Refusal> = bytes.withUnsafeBytes { raw in
            guard archive_read_open_memory(archive, raw.baseAddress, raw.count) == ARCHIVE_OK else {
                return .success(nil)
            }
            var reader = Reader(archive: archive, budget: budget)
            do throws(Refusal) {
                return .success(try reader.readAll())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Loads libarchive if no archive was read or written yet in this process.
    static func requireLibrary() throws(Refusal) {
        var reason: UnsafePointer<CChar>?
        guard chorus_archive_load(&reason) == 1 else {
            throw .libraryUnavailable(reason: reason.map { String(cString: $0) } ?? "libarchive could not be loaded")
        }
    }

    /// One pass over an open archive, keeping count against the budget.
    private struct Reader {
        let archive: OpaquePointer
        let budget: Budget
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)

        init(archive: OpaquePointer, budget: Budget) {
            self.archive = archive
            self.budget = budget
        }

        mutating func readAll() throws(Refusal) -> [Entry]? {
            var entries: [Entry] = []
            var seen = 0
            while true {
                var header: OpaquePointer?
                let status = archive_read_next_header(archive, &header)
                if status == ARCHIVE_EOF { return entries }
                guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let header else { return nil }
                seen += 1
                if seen > budget.maximumEntries { throw .tooManyEntries(limit: budget.maximumEntries) }
                let name = Self.name(of: header)
                // archive_filter_count counts the pseudo-filter that reads memory: 1 means uncompressed.
                if Int(archive_filter_count(archive)) - 1 > budget.maximumCompressionLayers {
                    throw .nested(name: name)
                }
                // Every entry is drained through the budget, files or not: skipping would inflate unseen.
                let isFile = archive_entry_filetype(header) == 0o100000
                guard let content = try drain(name: name, keep: isFile) else { return nil }
                // A file needs a name (malformed headers give empty ones).
                guard isFile, !name.isEmpty, !name.hasSuffix("/") else { continue }
                if InvoiceArchive.looksLikeArchive(content) { throw .nested(name: name) }
                entries.append(Entry(name: name, bytes: content))
            }
        }

        /// The data of the current entry (empty when not kept); nil when it is corrupt.
        mutating func drain(name: String, keep: Bool) throws(Refusal) -> [UInt8]? {
            var content: [UInt8] = []
            var size = 0
            while true {
                let count = chunk.withUnsafeMutableBytes { buffer in
                    archive_read_data(archive, buffer.baseAddress, buffer.count)
                }
                if count == 0 { return content }
                guard count > 0 else { return nil }
                size += count
                total += count
                if total > budget.maximumTotalBytes { throw .tooLarge(limit: budget.maximumTotalBytes) }
                if keep {
                    if size > budget.maximumEntryBytes {
                        throw .entryTooLarge(name: name, limit: budget.maximumEntryBytes)
                    }
                    content.append(contentsOf: chunk[0..<count])
                }
            }
        }

        static func name(of header: OpaquePointer) -> String {
            if let utf8 = archive_entry_pathname_utf8(header) { return String(cString: utf8) }
            if let raw = archive_entry_pathname(header) { return String(decoding: raw.bytes, as: UTF8.self) }
            return ""
        }
    }
}

extension UnsafePointer<CChar> {
    /// The bytes of a C string, without assuming an encoding.
    fileprivate var bytes: [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while self[index] != 0 {
            result.append(UInt8(bitPattern: self[index]))
            index += 1
        }
        return result
    }
}

extension InvoiceArchive.Refusal: CustomStringConvertible {
    /// The refusal in a sentence, for a check's finding.
    public var description: String {
        switch self {
        case .tooManyEntries(let limit): "the archive holds more than \(limit) files"
        case .entryTooLarge(let name, let limit): "'\(name)' is over \(limit / 1024 / 1024) Mo once inflated"
        case .tooLarge(let limit): "the archive inflates past \(limit / 1024 / 1024) Mo"
        case .nested(let name): "'\(name)' is an archive inside the archive"
        case .libraryUnavailable(let reason): reason
        }
    }
}
