/// A Lua value copied out of (or into) a Lua state. It owns no Lua references, so it is `Sendable`
/// and may cross an `await`. Tables become `array` or `object` according to their marker
/// (the namespace's `array` / `object`) or, when unmarked, their keys.
public enum LuaValue: Sendable, Hashable {
    case `nil`
    /// JSON `null`: the namespace's `null` sentinel in Lua.
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    /// A Lua string holding valid UTF-8.
    case string(String)
    /// A Lua string that is not valid UTF-8 (binary data such as a PDF).
    case bytes([UInt8])
    case array([LuaValue])
    case object([String: LuaValue])
}

extension LuaValue {
    /// The value's string content, for `.string` and `.bytes` (decoded leniently).
    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        default: return nil
        }
    }

    /// The member `key` of an object value.
    public subscript(key: String) -> LuaValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
