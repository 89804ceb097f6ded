#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Direct writes to the process's stdout and stderr (no buffering, so output and logs interleave
/// in the order they happen).
public enum StandardOutput {
    /// Writes `text` to stdout.
    public static func write(_ text: String) { write(text, to: 1) }

    /// Writes `bytes` to stdout as they are (text that is not UTF-8 included).
    public static func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(buffer: $0, to: 1) }
    }

    /// Writes `text` to stderr.
    public static func writeError(_ text: String) { write(text, to: 2) }

    static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { write(buffer: UnsafeRawBufferPointer($0), to: descriptor) }
    }

    private static func write(buffer: UnsafeRawBufferPointer, to descriptor: Int32) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(descriptor, base + offset, buffer.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}
