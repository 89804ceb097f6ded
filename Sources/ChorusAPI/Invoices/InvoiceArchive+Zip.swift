import CArchive

extension InvoiceArchive {
    /// A ZIP archive of `entries`, stored uncompressed (what telechargerGroupeFacture returns for several
    /// invoices), written by libarchive; nil if libarchive refuses an entry or cannot be loaded.
    public static func zip(_ entries: [Entry]) -> [UInt8]? {
        guard let archive = archive_write_new() else { return nil }
        defer { archive_write_free(archive) }
        guard archive_write_set_format_zip(archive) == ARCHIVE_OK,
            archive_write_zip_set_compression_store(archive) == ARCHIVE_OK,
            // No padding to a tape block: the bytes end with the end of the central directory.
            archive_write_set_bytes_per_block(archive, 0) == ARCHIVE_OK
        else { return nil }
        let sink = Sink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let opened = archive_write_open(
            archive, context, nil,
            { _, context, buffer, length in
                guard let context, let buffer else { return -1 }
                let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
                return length
            }, nil)
        guard opened == ARCHIVE_OK else { return nil }
        for item in entries {
            guard let header = archive_entry_new() else { return nil }
            defer { archive_entry_free(header) }
            archive_entry_set_pathname_utf8(header, item.name)
            archive_entry_set_filetype(header, 0o100000)
            archive_entry_set_perm(header, 0o644)
            archive_entry_set_size(header, Int64(item.bytes.count))
            guard archive_write_header(archive, header) == ARCHIVE_OK else { return nil }
            let written = item.bytes.withUnsafeBytes { raw in
                raw.isEmpty ? 0 : archive_write_data(archive, raw.baseAddress, raw.count)
            }
            guard written == item.bytes.count else { return nil }
        }
        guard archive_write_close(archive) == ARCHIVE_OK else { return nil }
        withExtendedLifetime(sink) {}
        return sink.bytes
    }

    /// Where libarchive's write callback puts the bytes.
    private final class Sink {
        var bytes: [UInt8] = []
    }
}
