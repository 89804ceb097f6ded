import Foundation

/// Renders inspected values for a terminal: one line when it fits, else one entry per line indented;
/// keys sorted with the array part first; strings quoted as Lua would read them back; cycles and cut
/// levels marked; colour only when asked (a terminal without `NO_COLOR`).
public struct ValueFormatter: Sendable {
    /// The host's namespace: `null` shows as `<namespace>.null`.
    public var namespace: String
    public var colour: Bool
    /// Width under which a table stays on one line.
    public var lineWidth: Int
    /// How an error table shows (the host knows its fields); the default is `where: code: message`.
    public var describeError: @Sendable ([String: LuaValue]) -> String

    public init(
        namespace: String, colour: Bool, lineWidth: Int = 80,
        describeError: @escaping @Sendable ([String: LuaValue]) -> String = ValueFormatter.plainError
    ) {
        self.namespace = namespace
        self.colour = colour
        self.lineWidth = lineWidth
        self.describeError = describeError
    }

    /// `where: code: message`, as the runtime's error tables print.
    public static let plainError: @Sendable ([String: LuaValue]) -> String = { fields in
        var text = fields["message"]?.stringValue ?? ""
        if let code = fields["code"]?.stringValue { text = code + ": " + text }
        if let place = fields["where"]?.stringValue { text = place + ": " + text }
        return text
    }

    /// The values of one chunk, tab-separated as `print` would put them (each rendered).
    public func format(_ values: [InspectedValue]) -> String {
        values.map { render($0, indent: 0) }.joined(separator: "\t")
    }

    public func render(_ value: InspectedValue, indent: Int = 0) -> String {
        switch value {
        case .nil: return paint("nil", .literal)
        case .null: return paint(namespace + ".null", .literal)
        case .bool(let b): return paint(b ? "true" : "false", .literal)
        case .integer(let i): return paint(String(i), .number)
        case .number(let d): return paint(Self.number(d), .number)
        case .string(let s, let cut):
            return paint(Self.quote(s), .string) + (cut > 0 ? paint(" ...(\(cut) more bytes)", .dim) : "")
        case .opaque(let text): return paint(text, .dim)
        case .cycle(let id): return paint("<cycle: \(id)>", .dim)
        case .deep(let id): return paint("{...} -- \(id)", .dim)
        case .error(let fields): return paint(describeError(fields), .error)
        case .table(let table): return render(table, indent: indent)
        }
    }

    private func render(_ table: InspectedTable, indent: Int) -> String {
        var entries: [String] = table.array.map { render($0, indent: indent + 2) }
        for (key, value) in table.fields {
            entries.append(Self.keyText(key) + " = " + render(value, indent: indent + 2))
        }
        if table.omitted > 0 { entries.append(paint("... (\(table.omitted) more)", .dim)) }
        var prefix = ""
        if let name = table.typeName { prefix = paint("<\(name)> ", .dim) }
        if entries.isEmpty {
            if let marker = table.marker { return prefix + paint("\(namespace).\(marker){}", .literal) }
            return prefix + "{}"
        }
        let oneLine = prefix + "{ " + entries.joined(separator: ", ") + " }"
        if !oneLine.contains("\n") && Self.visibleCount(oneLine) + indent <= lineWidth { return oneLine }
        let pad = String(repeating: " ", count: indent + 2)
        return prefix + "{\n" + entries.map { pad + $0 + ",\n" }.joined() + String(repeating: " ", count: indent) + "}"
    }

    static func keyText(_ key: InspectedKey) -> String {
        switch key {
        case .string(let s): return ReplCompletion.isIdentifier(s) ? s : "[" + quote(s) + "]"
        case .integer(let i): return "[\(i)]"
        case .number(let d): return "[\(number(d))]"
        case .other(let text): return "[\(text)]"
        }
    }

    static func number(_ d: Double) -> String {
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == d.rounded(), abs(d) < 1e16 { return String(format: "%.1f", d) }
        return String(format: "%.14g", d)
    }

    /// A Lua string literal that reads back as `s`.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{FFFD}": out += "\u{FFFD}"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\" + String(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    enum Paint: String {
        case string = "32"
        case number = "36"
        case literal = "35"
        case dim = "2"
        case error = "31"
    }

    func paint(_ text: String, _ kind: Paint) -> String {
        colour ? "\u{1B}[\(kind.rawValue)m" + text + "\u{1B}[0m" : text
    }

    /// Characters shown, escape sequences left out.
    static func visibleCount(_ text: String) -> Int {
        var count = 0
        var inEscape = false
        for c in text.unicodeScalars {
            if inEscape {
                if c == "m" { inEscape = false }
            } else if c == "\u{1B}" {
                inEscape = true
            } else {
                count += 1
            }
        }
        return count
    }
}
