/// `<namespace>.base64`: standard base64 (RFC 4648, with padding), binary-safe.
enum Base64Library {
    static func library(namespace: String) -> LuaLibrary {
        LuaLibrary(
            path: [namespace, "base64"],
            summary: "Base64 encoding of binary strings (RFC 4648).",
            functions: [
                HostFunction("encode", FunctionDoc(
                    "Encodes a (binary) string as base64.",
                    parameters: [.init("data", "string")], returns: [.init("text", "string")])) { call in
                    let bytes = try call.bytes(1)
                    // Swift copies (input, output, Lua's string) are charged to the run's cap.
                    try call.chargeMemory(bytes.count * 4)
                    call.push(string: Base64.encode(bytes))
                    return 1
                },
                HostFunction("decode", FunctionDoc(
                    "Decodes base64 (padding optional; whitespace ignored) to a binary string.",
                    parameters: [.init("text", "string")], returns: [.init("data", "string")],
                    raises: ["invalid base64 at position N"])) { call in
                    let text = try call.bytes(1)
                    try call.chargeMemory(text.count * 2)
                    switch Base64.decode(text) {
                    case .success(let bytes):
                        call.push(bytes: bytes)
                        return 1
                    case .failure(let error):
                        throw LuaScriptError(error.description)
                    }
                },
            ]
        )
    }
}

/// A small base64 codec that reports where input goes wrong.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        /// 1-based position of the offending character.
        public let position: Int
        public let reason: String
        public var description: String { "invalid base64 at position \(position): \(reason)" }
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: [UInt8]) -> Result<[UInt8], DecodingError> {
        var out = [UInt8]()
        out.reserveCapacity(text.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for (index, c) in text.enumerated() {
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { continue }
            if c == UInt8(ascii: "=") {
                padding += 1
                if padding > 2 { return .failure(DecodingError(position: index + 1, reason: "too much padding")) }
                continue
            }
            if padding > 0 { return .failure(DecodingError(position: index + 1, reason: "data after padding")) }
            let v = reverse[Int(c)]
            if v == 0xFF {
                let shown = c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
                return .failure(DecodingError(position: index + 1, reason: "\(shown) is not a base64 character"))
            }
            accumulator = accumulator << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        if bits >= 6 { return .failure(DecodingError(position: text.count, reason: "truncated input")) }
        return .success(out)
    }
}
