/// Reads the archives a deposit may carry several invoices in (`.zip`, `.tar`, `.tar.gz`), as
/// production clients send invoice lots. Entries are returned in archive order, directories skipped.
public enum InvoiceArchive {
    /// One file of an archive.
    public struct Entry: Sendable, Equatable {
        /// Path inside the archive.
        public var name: String
        /// Content.
        public var bytes: [UInt8]
    }

    /// The files of `bytes` when it is a ZIP, tar or gzip-compressed tar archive; nil otherwise (or corrupt).
    public static func entries(in bytes: [UInt8]) -> [Entry]? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return zipEntries(bytes) }
        if bytes.starts(with: [0x1F, 0x8B]) {
            guard let tar = PDFAttachments.inflate(bytes, windowBits: 31) else { return nil }
            return tarEntries(tar)
        }
        return tarEntries(bytes)
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }

    /// ZIP through its central directory (sizes in local headers may be deferred to a descriptor).
    static func zipEntries(_ b: [UInt8]) -> [Entry]? {
        guard b.count >= 22 else { return nil }
        var end = b.count - 22
        let lowest = max(0, b.count - 22 - 65_535)
        while end >= lowest, !(b[end] == 0x50 && b[end + 1] == 0x4B && b[end + 2] == 5 && b[end + 3] == 6) { end -= 1 }
        guard end >= lowest else { return nil }
        let count = u16(b, end + 10)
        var offset = u32(b, end + 16)
        var entries: [Entry] = []
        for _ in 0..<count {
            guard offset + 46 <= b.count, u32(b, offset) == 0x0201_4B50 else { return nil }
            let method = u16(b, offset + 10)
            let compressed = u32(b, offset + 20)
            let nameLength = u16(b, offset + 28)
            let extraLength = u16(b, offset + 30)
            let commentLength = u16(b, offset + 32)
            let local = u32(b, offset + 42)
            guard offset + 46 + nameLength <= b.count else { return nil }
            let name = String(decoding: b[offset + 46..<offset + 46 + nameLength], as: UTF8.self)
            offset += 46 + nameLength + extraLength + commentLength
            if name.hasSuffix("/") { continue }
            guard local + 30 <= b.count, u32(b, local) == 0x0403_4B50 else { return nil }
            let start = local + 30 + u16(b, local + 26) + u16(b, local + 28)
            guard start + compressed <= b.count else { return nil }
            let data = Array(b[start..<start + compressed])
            switch method {
            case 0: entries.append(Entry(name: name, bytes: data))
            case 8:
                guard let inflated = PDFAttachments.inflate(data, windowBits: -15) else { return nil }
                entries.append(Entry(name: name, bytes: inflated))
            default: return nil
            }
        }
        return entries
    }

    /// POSIX (ustar) tar: 512-byte headers, octal sizes, regular files only.
    static func tarEntries(_ b: [UInt8]) -> [Entry]? {
        guard b.count >= 512, b[257..<262].elementsEqual("ustar".utf8) else { return nil }
        var offset = 0
        var entries: [Entry] = []
        while offset + 512 <= b.count {
            let header = Array(b[offset..<offset + 512])
            if header.allSatisfy({ $0 == 0 }) { break }
            guard header[257..<262].elementsEqual("ustar".utf8) else { return nil }
            func field(_ range: Range<Int>) -> String {
                String(decoding: header[range].prefix { $0 != 0 }, as: UTF8.self)
            }
            let sizeText = field(124..<136).trimmingCharacters(in: " ")
            guard let size = Int(sizeText, radix: 8) else { return nil }
            let prefix = field(345..<500)
            let name = prefix.isEmpty ? field(0..<100) : prefix + "/" + field(0..<100)
            let type = header[156]
            let start = offset + 512
            guard start + size <= b.count else { return nil }
            if type == UInt8(ascii: "0") || type == 0 {
                entries.append(Entry(name: name, bytes: Array(b[start..<start + size])))
            }
            offset = start + (size + 511) / 512 * 512
        }
        return entries
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
