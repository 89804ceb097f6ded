/// Options for writing JSON text.
public struct JSONWriteOptions: Sendable, Equatable {
    /// Indent nested values with two spaces and put one member per line.
    public var pretty: Bool
    /// Escape "/" as "\/" (never needed; off by default).
    public var escapeSlashes: Bool

    public init(pretty: Bool = false, escapeSlashes: Bool = false) {
        self.pretty = pretty
        self.escapeSlashes = escapeSlashes
    }
}

extension JSONValue {
    /// The JSON text of this value; object keys are sorted so output is deterministic.
    /// Non-finite numbers (which JSON cannot express) are written as `null`.
    public func serialized(_ options: JSONWriteOptions = JSONWriteOptions()) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        JSONValue.write(self, into: &out, options: options, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// The JSON text as UTF-8 bytes.
    public func serializedBytes(_ options: JSONWriteOptions = JSONWriteOptions()) -> [UInt8] {
        var out: [UInt8] = []
        JSONValue.write(self, into: &out, options: options, indent: 0)
        return out
    }

    static func write(_ value: JSONValue, into out: inout [UInt8], options: JSONWriteOptions, indent: Int) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .integer(let i): out.append(contentsOf: String(i).utf8)
        case .number(let d): out.append(contentsOf: formatNumber(d).utf8)
        case .string(let s): writeString(s, into: &out, escapeSlashes: options.escapeSlashes)
        case .array(let elements):
            if elements.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, options, indent + 1)
                write(element, into: &out, options: options, indent: indent + 1)
            }
            newline(&out, options, indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, options, indent + 1)
                writeString(key, into: &out, escapeSlashes: options.escapeSlashes)
                out.append(UInt8(ascii: ":"))
                if options.pretty { out.append(UInt8(ascii: " ")) }
                write(members[key]!, into: &out, options: options, indent: indent + 1)
            }
            newline(&out, options, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func newline(_ out: inout [UInt8], _ options: JSONWriteOptions, _ indent: Int) {
        guard options.pretty else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    /// The shortest text that reads back as the same double; integral values keep a ".0" so they
    /// stay floats when read back.
    static func formatNumber(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded() && abs(d) < 1e16 {
            return String(Int64(d)) + ".0"
        }
        return "\(d)"
    }

    /// Writes `s` as a JSON string. Runs of bytes that need no escape are copied in one piece, so a
    /// large text field (an invoice in base64) costs a memory copy, not one append per byte.
    static func writeString(_ s: String, into out: inout [UInt8], escapeSlashes: Bool) {
        out.append(UInt8(ascii: "\""))
        var text = s
        text.withUTF8 { buffer in
            var runStart = 0
            var index = 0
            while index < buffer.count {
                let b = buffer[index]
                if b >= 0x20, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\"), !(escapeSlashes && b == UInt8(ascii: "/")) {
                    index += 1
                    continue
                }
                if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index])) }
                appendEscape(of: b, into: &out)
                index += 1
                runStart = index
            }
            if runStart < buffer.count {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<buffer.count]))
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(of b: UInt8, into out: inout [UInt8]) {
        switch b {
        case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
        case UInt8(ascii: "/"): out.append(contentsOf: "\\/".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        case 0x08: out.append(contentsOf: "\\b".utf8)
        case 0x0C: out.append(contentsOf: "\\f".utf8)
        default:
            let hex = String(b, radix: 16)
            out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        }
    }
}
