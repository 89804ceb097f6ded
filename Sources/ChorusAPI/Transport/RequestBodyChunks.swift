import NIOCore

/// A request body handed to the connection as small buffers made when the connection asks for them:
/// copied from the array of a held body, or written by a streamed one (a deposit's base64, encoded as
/// it goes). Only a few chunks at a time exist beside what the caller holds (the connection asks for
/// more as the socket drains). Chunks stay under glibc's initial mapping threshold (128 KB), so they
/// come from the allocator's free lists rather than being mapped and unmapped each time.
struct RequestBodyChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    /// The size of each buffer.
    static let chunkSize = 64 * 1024

    enum Source: Sendable {
        case bytes([UInt8])
        case streamed(any StreamedBody)

        var count: Int {
            switch self {
            case .bytes(let bytes): return bytes.count
            case .streamed(let body): return body.count
            }
        }
    }

    let source: Source

    struct AsyncIterator: AsyncIteratorProtocol {
        let source: Source
        var offset = 0

        mutating func next() async -> ByteBuffer? {
            let count = source.count
            guard offset < count else { return nil }
            let length = Swift.min(RequestBodyChunks.chunkSize, count - offset)
            let start = offset
            offset += length
            switch source {
            case .bytes(let bytes):
                var buffer = ByteBuffer()
                buffer.reserveCapacity(length)
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { out in
                    bytes.withUnsafeBytes {
                        UnsafeMutableRawBufferPointer(rebasing: out[..<length])
                            .copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]))
                    }
                    return length
                }
                return buffer
            case .streamed(let body):
                return RequestBodyChunks.buffer(body, from: start, length: length)
            }
        }
    }

    /// The bytes `offset ..< offset + length` of `body`, written into a new buffer of that size.
    static func buffer(_ body: any StreamedBody, from offset: Int, length: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(length)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { out in
            body.write(from: offset, into: UnsafeMutableRawBufferPointer(rebasing: out[..<length]))
            return length
        }
        return buffer
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: source) }
}
