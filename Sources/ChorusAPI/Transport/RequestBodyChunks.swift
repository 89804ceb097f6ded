import NIOCore

/// A request body handed to the connection as small buffers made when the connection asks for them:
/// copied from the array of a held body, or written by a streamed one (a deposit's base64, encoded as
/// it goes). Only one chunk at a time exists beside what the caller holds. Chunks stay under glibc's
/// mapping threshold (128 KB), so they are reused from the allocator's free lists rather than mapped
/// and unmapped each time.
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
            var buffer = ByteBuffer()
            buffer.reserveCapacity(length)
            let start = offset
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { out in
                let window = UnsafeMutableRawBufferPointer(rebasing: out[..<length])
                switch source {
                case .bytes(let bytes):
                    bytes.withUnsafeBytes { window.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }
                case .streamed(let body):
                    body.write(from: start, into: window)
                }
                return length
            }
            offset += length
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: source) }
}
