import JSONValue

/// A small JSON Schema validator (the subset our shipped schemas use: type, enum, required,
/// properties, additionalProperties, items, minimum, local $ref), for tests of `--json` outputs.
public struct JSONSchemaCheck: Sendable {
    let root: JSONValue

    public init(schema: JSONValue) { root = schema }

    /// Every violation, as `path: problem`; empty when `value` conforms.
    public func violations(of value: JSONValue) -> [String] {
        var problems: [String] = []
        check(value, against: root, path: "$", problems: &problems)
        return problems
    }

    private func resolve(_ schema: JSONValue) -> JSONValue {
        guard let ref = schema["$ref"]?.stringValue, ref.hasPrefix("#/") else { return schema }
        var node = root
        for part in ref.dropFirst(2).split(separator: "/") { node = node[String(part)] ?? .null }
        return node
    }

    private func typeMatches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("integer", .integer):
            return true
        case ("number", .integer), ("number", .number): return true
        case ("integer", .number(let d)): return d == d.rounded()
        default: return false
        }
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, problems: inout [String]) {
        let schema = resolve(schema)
        if let type = schema["type"] {
            let types = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
            if !types.contains(where: { typeMatches(value, $0) }) {
                problems.append("\(path): expected \(types.joined(separator: " or ")), got \(value.typeName)")
                return
            }
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            problems.append("\(path): \(value.serialized()) is not one of \(JSONValue.array(options).serialized())")
        }
        if let minimum = schema["minimum"], let v = value.integerValue, let m = minimum.integerValue, v < m {
            problems.append("\(path): \(v) is below the minimum \(m)")
        }
        if case .object(let members) = value {
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[key] == nil {
                problems.append("\(path): missing required member '\(key)'")
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for key in members.keys.sorted() {
                let member = members[key]!
                if let property = properties[key] {
                    check(member, against: property, path: path + "." + key, problems: &problems)
                } else if let additional = schema["additionalProperties"] {
                    if additional == .bool(false) { problems.append("\(path): unexpected member '\(key)'") }
                    else if case .object = additional { check(member, against: additional, path: path + "." + key, problems: &problems) }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (i, item) in items.enumerated() { check(item, against: itemSchema, path: "\(path)[\(i)]", problems: &problems) }
        }
    }
}
