import JSONValue

/// Why a Lua value cannot be written as JSON.
public struct LuaJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

extension LuaValue {
    /// The value as JSON. Binary strings and `nil` have no JSON form and are refused.
    /// - Parameter namespace: the host's table name, for the hints (`<namespace>.null`).
    public func toJSON(namespace: String) throws(LuaJSONError) -> JSONValue {
        try toJSON(path: "", namespace: namespace)
    }

    private func toJSON(path: String, namespace ns: String) throws(LuaJSONError) -> JSONValue {
        switch self {
        case .nil: throw LuaJSONError(description: "cannot encode nil\(Self.at(path)) (use \(ns).null for JSON null)")
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .number(let d):
            guard d.isFinite else { throw LuaJSONError(description: "cannot encode \(d)\(Self.at(path)): JSON has no NaN or infinity") }
            return .number(d)
        case .string(let s): return .string(s)
        case .bytes: throw LuaJSONError(description: "cannot encode a binary (non-UTF-8) string\(Self.at(path)); encode it with \(ns).base64 first")
        case .array(let elements):
            var out: [JSONValue] = []
            out.reserveCapacity(elements.count)
            for (i, element) in elements.enumerated() { out.append(try element.toJSON(path: "\(path)[\(i + 1)]", namespace: ns)) }
            return .array(out)
        case .object(let members):
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(members.count)
            for (key, value) in members { out[key] = try value.toJSON(path: path + "." + key, namespace: ns) }
            return .object(out)
        }
    }

    private static func at(_ path: String) -> String { path.isEmpty ? "" : " at \(path)" }

    /// The Lua value of a JSON document: `null` becomes `.null` (the namespace's `null` in Lua).
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .integer(let i): self = .integer(i)
        case .number(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(LuaValue.init(json:)))
        case .object(let o): self = .object(o.mapValues(LuaValue.init(json:)))
        }
    }
}
