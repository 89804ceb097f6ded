import CZlib

/// Finds the files embedded in a PDF (where Factur-X keeps its XML) without a PDF library: it scans
/// for `stream ... endstream` objects whose dictionary says `/EmbeddedFile`, and inflates the ones
/// compressed with `/FlateDecode`. Streams with other filters are skipped.
enum PDFAttachments {
    /// Inflated output beyond this is refused (a guard against decompression bombs), per stream and for
    /// all the streams of one PDF together.
    static let maximumInflatedSize = 64 * 1024 * 1024

    /// The contents of the embedded-file streams, in file order. `/Type /EmbeddedFile` is optional in
    /// PDF, so with `anyStream` every stream is returned (decoded when it can be) for the caller to sort.
    static func embeddedFiles(in pdf: [UInt8], anyStream: Bool = false) -> [[UInt8]] {
        var files: [[UInt8]] = []
        var budget = maximumInflatedSize
        var searchFrom = 0
        let streamKeyword = Array("stream".utf8)
        let endKeyword = Array("endstream".utf8)
        while let keyword = find(streamKeyword, in: pdf, from: searchFrom) {
            searchFrom = keyword + streamKeyword.count
            // "endstream" also contains "stream"; only a keyword not preceded by "end" opens a stream.
            if keyword >= 3, pdf[keyword - 3..<keyword].elementsEqual("end".utf8) { continue }
            var start = keyword + streamKeyword.count
            if start < pdf.count, pdf[start] == 0x0D { start += 1 }
            if start < pdf.count, pdf[start] == 0x0A { start += 1 }
            guard let end = find(endKeyword, in: pdf, from: start) else { break }
            searchFrom = end + endKeyword.count
            let dictionary = String(decoding: pdf[dictionaryStart(before: keyword, in: pdf)..<keyword], as: UTF8.self)
            guard anyStream || dictionary.contains("/EmbeddedFile") else { continue }
            var stop = end
            if stop > start, pdf[stop - 1] == 0x0A { stop -= 1 }
            if stop > start, pdf[stop - 1] == 0x0D { stop -= 1 }
            let raw = Array(pdf[start..<stop])
            if dictionary.contains("/FlateDecode") {
                // Many small streams inflating to the limit each would add up: one budget for the file.
                guard budget > 0 else { break }
                if let inflated = inflate(raw, limit: budget) {
                    budget -= inflated.count
                    files.append(inflated)
                }
            } else if !dictionary.contains("/Filter") {
                files.append(raw)
            }
        }
        return files
    }

    /// Where the dictionary before a `stream` keyword begins: the `obj` keyword of its object.
    private static func dictionaryStart(before index: Int, in pdf: [UInt8]) -> Int {
        let limit = max(0, index - 4096)
        var i = index - 3
        while i > limit {
            if pdf[i] == UInt8(ascii: "o"), pdf[i + 1] == UInt8(ascii: "b"), pdf[i + 2] == UInt8(ascii: "j") {
                return i
            }
            i -= 1
        }
        return limit
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        let first = needle[0]
        while i <= last {
            if haystack[i] == first, haystack[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Inflates `data`; nil if corrupt or too large. `windowBits` picks the wrapper: 15 zlib (PDF's
    /// FlateDecode), -15 raw deflate (ZIP entries), 31 gzip.
    static func inflate(_ data: [UInt8], windowBits: Int32 = 15, limit: Int = maximumInflatedSize) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { inflateEnd(&stream) }
        var input = data
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return input.withUnsafeMutableBufferPointer { inputBuffer -> [UInt8]? in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int32 in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = UInt32(chunkBuffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { return nil }
                if status == Z_STREAM_END { return output }
                if status != Z_OK || (produced == 0 && stream.avail_in == 0) { return nil }
            }
        }
    }
}
