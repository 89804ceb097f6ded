import Foundation
import JSONValue

/// The body of `deposerFluxFacture`, written as the connection asks for it: the JSON object's other
/// fields are serialised once, and the base64 of the file is encoded window by window between them.
/// The bytes are those of the JSON object `{avecSignature, fichierFlux, nomFichier, syntaxeFlux}`
/// serialised like any request (sorted keys, escaped).
public struct DepositBody: StreamedBody {
    /// The serialised object up to the opening quote of `fichierFlux`'s value, and from its closing quote.
    private let head: [UInt8]
    private let tail: [UInt8]
    private let file: [UInt8]
    private let textCount: Int
    public let count: Int

    init(file: [UInt8], name: String, syntax: String, signed: Bool) {
        let frame = JSONValue.object([
            "avecSignature": .bool(signed), "fichierFlux": .string(""), "nomFichier": .string(name),
            "syntaxeFlux": .string(syntax),
        ]).serializedBytes()
        // Keys are sorted, so the key comes before the name's value; a quote inside a value is escaped,
        // so the first match is the key.
        guard let split = Self.end(of: Array(#""fichierFlux":""#.utf8), in: frame) else {
            preconditionFailure("fichierFlux missing from the serialised deposit")
        }
        head = Array(frame[..<split])
        tail = Array(frame[split...])
        self.file = file
        textCount = Base64.encodedCount(file.count)
        count = head.count + textCount + tail.count
    }

    /// The index just past the first occurrence of `marker` in `bytes`, or nil (a plain byte search:
    /// Foundation's generic `firstRange(of:)` cost more than the rest of the body's set-up).
    static func end(of marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard let first = marker.first, marker.count <= bytes.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start] == first {
            if bytes[start..<(start + marker.count)].elementsEqual(marker) { return start + marker.count }
        }
        return nil
    }

    public func write(from offset: Int, into buffer: UnsafeMutableRawBufferPointer) {
        precondition(offset >= 0 && offset + buffer.count <= count, "window outside the deposit body")
        let end = offset + buffer.count
        var position = offset
        var written = 0
        func copy(_ part: [UInt8], from start: Int) {
            let length = Swift.min(part.count - start, end - position)
            part.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + length)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]))
            }
            position += length
            written += length
        }
        if position < head.count { copy(head, from: position) }
        let textEnd = head.count + textCount
        if position < end, position < textEnd {
            let length = Swift.min(textEnd - position, end - position)
            let window = UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + length)])
            file.withUnsafeBytes { Base64.encode($0, textFrom: position - head.count, into: window) }
            position += length
            written += length
        }
        if position < end { copy(tail, from: position - textEnd) }
    }
}
