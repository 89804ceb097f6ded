/// Standard base64 (RFC 4648, with padding), the way JSON payloads carry bytes (`fichierFlux`,
/// `pieceJointe`): a codec that reports where input goes wrong.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()
    /// Two characters per entry, for the 4,096 values of 12 bits, in memory order (first character in
    /// the low byte): the encoder does two lookups and one 4-byte store per 3 input bytes, instead of
    /// four lookups and four 1-byte stores.
    private static let pairs: [UInt16] = (0..<4096).map { i in
        UInt16(alphabet[i >> 6]) | UInt16(alphabet[i & 63]) << 8
    }

    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        /// 1-based position of the offending character.
        public let position: Int
        public let reason: String
        public var description: String { "invalid base64 at position \(position): \(reason)" }
    }

    /// The base64 text of `bytes`, as a string.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encodedBytes(bytes), as: UTF8.self)
    }

    /// The length of the base64 text of `count` bytes (with padding).
    public static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// The base64 text of `bytes`, as ASCII bytes: one pass over raw buffers, no per-group allocation
    /// (a 10 MB invoice is encoded at memory speed, not byte by byte through Array appends).
    public static func encodedBytes(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { encodedBytes($0) }
    }

    /// The base64 text of the bytes in `input`, as ASCII bytes (for a caller that reads its input in
    /// place, such as a Lua string).
    public static func encodedBytes(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let count = encodedCount(input.count)
        return [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            encode(input, into: UnsafeMutableRawBufferPointer(out))
            initialized = count
        }
    }

    /// Writes the base64 text of `input` at the start of `output`, which must hold at least
    /// `encodedCount(input.count)` bytes. Callers that build a larger buffer (a request body around
    /// the text) encode straight into it, so no intermediate copy of the text exists.
    public static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= encodedCount(input.count), "base64 output buffer too small")
        let n = input.count
        var i = 0
        var o = 0
        pairs.withUnsafeBufferPointer { pairs in
            while i + 3 <= n {
                let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                let four = UInt32(pairs[Int(v >> 12)]) | UInt32(pairs[Int(v & 0xFFF)]) << 16
                output.storeBytes(of: four.littleEndian, toByteOffset: o, as: UInt32.self)
                i += 3
                o += 4
            }
        }
        let rest = n - i
        if rest > 0 {
            alphabet.withUnsafeBufferPointer { table in
                let v = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
                output[o] = table[Int(v >> 18)]
                output[o + 1] = table[Int(v >> 12 & 63)]
                output[o + 2] = rest == 2 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "=")
                output[o + 3] = UInt8(ascii: "=")
            }
        }
    }

    /// Writes the characters `start ..< start + output.count` of the base64 text of `input` into
    /// `output`: any window of the text, so a large body can be produced piece by piece as it is sent,
    /// without the whole text ever existing. The window must lie within `encodedCount(input.count)`.
    public static func encode(
        _ input: UnsafeRawBufferPointer, textFrom start: Int, into output: UnsafeMutableRawBufferPointer
    ) {
        let end = start + output.count
        precondition(start >= 0 && end <= encodedCount(input.count), "base64 window outside the text")
        // Groups of 4 characters made from 3 whole input bytes; the last group may be padded.
        let wholeGroups = input.count / 3
        var t = start
        var o = 0
        func character(at t: Int) -> UInt8 {
            let group = t / 4
            var four: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
            let bytes = UnsafeRawBufferPointer(rebasing: input[(group * 3)..<Swift.min(group * 3 + 3, input.count)])
            withUnsafeMutableBytes(of: &four) { encode(bytes, into: $0) }
            return withUnsafeBytes(of: four) { $0[t % 4] }
        }
        while t < end, t % 4 != 0 {
            output[o] = character(at: t)
            t += 1
            o += 1
        }
        let firstGroup = t / 4
        let lastGroup = Swift.min(end / 4, wholeGroups)
        if lastGroup > firstGroup {
            let count = (lastGroup - firstGroup) * 4
            encode(
                UnsafeRawBufferPointer(rebasing: input[(firstGroup * 3)..<(lastGroup * 3)]),
                into: UnsafeMutableRawBufferPointer(rebasing: output[o..<(o + count)]))
            t += count
            o += count
        }
        while t < end {
            output[o] = character(at: t)
            t += 1
            o += 1
        }
    }

    /// Decodes base64; whitespace is skipped, padding is optional, and the first bad character is
    /// reported with its 1-based position.
    public static func decode(_ text: [UInt8]) -> Result<[UInt8], DecodingError> {
        text.withUnsafeBytes { decode($0) }
    }

    /// Decodes the base64 text in `text` (for a caller that reads its input in place).
    public static func decode(_ text: UnsafeRawBufferPointer) -> Result<[UInt8], DecodingError> {
        var failure: DecodingError?
        let capacity = text.count / 4 * 3 + 3
        let out = [UInt8](unsafeUninitializedCapacity: capacity) { out, initialized in
            var written = 0
            withExtendedLifetime(text) { input in
                reverse.withUnsafeBufferPointer { table in
                    var accumulator: UInt32 = 0
                    var bits = 0
                    var padding = 0
                    let n = input.count
                    var index = 0
                    while index < n {
                        // Fast path, at each group boundary: four alphabet characters make three bytes.
                        if bits == 0, padding == 0 {
                            while index + 4 <= n {
                                let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                                let c = table[Int(input[index + 2])], d = table[Int(input[index + 3])]
                                if (a | b | c | d) & 0x80 != 0 { break }
                                let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                                out[written] = UInt8(truncatingIfNeeded: v >> 16)
                                out[written + 1] = UInt8(truncatingIfNeeded: v >> 8)
                                out[written + 2] = UInt8(truncatingIfNeeded: v)
                                written += 3
                                index += 4
                            }
                            if index >= n { break }
                        }
                        // General path: whitespace, padding and errors, one character at a time.
                        let c = input[index]
                        index += 1
                        if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { continue }
                        if c == UInt8(ascii: "=") {
                            padding += 1
                            if padding > 2 {
                                failure = DecodingError(position: index, reason: "too much padding")
                                return
                            }
                            continue
                        }
                        if padding > 0 {
                            failure = DecodingError(position: index, reason: "data after padding")
                            return
                        }
                        let v = table[Int(c)]
                        if v == 0xFF {
                            let shown =
                                c >= 0x20 && c < 0x7F
                                ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
                            failure = DecodingError(position: index, reason: "\(shown) is not a base64 character")
                            return
                        }
                        accumulator = accumulator << 6 | UInt32(v)
                        bits += 6
                        if bits >= 8 {
                            bits -= 8
                            out[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                            written += 1
                        }
                    }
                    if bits >= 6 { failure = DecodingError(position: n, reason: "truncated input") }
                }
            }
            initialized = written
        }
        if let failure { return .failure(failure) }
        return .success(out)
    }
}
