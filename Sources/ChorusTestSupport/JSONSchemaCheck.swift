import JSONValue

/// The one schema checker of the tests: JSON Schema for our shipped schemas (`docs/*.schema.json`)
/// and Swagger 2.0 for the official Chorus Pro files. It knows the subset both use: `type` (one or
/// several; int32/int64 ranges), `enum`, `required`, `properties`, `additionalProperties`, `items`,
/// `minimum` and local `$ref`. String formats such as `date-time` are not checked: the platform
/// itself mixes date forms.
public struct JSONSchemaCheck: Sendable {
    /// How a schema is read.
    public enum Dialect: Sendable {
        /// JSON Schema: `null` must be allowed by the schema.
        case jsonSchema
        /// Swagger 2.0: any member may be `null` (the platform sends it), and a schema with
        /// `properties` but no `type` is an object.
        case swagger2
    }

    let root: JSONValue
    let dialect: Dialect

    /// - Parameters:
    ///   - schema: the document `$ref`s resolve in (a JSON Schema, or a whole Swagger file).
    public init(schema: JSONValue, dialect: Dialect = .jsonSchema) {
        root = schema
        self.dialect = dialect
    }

    /// Every violation of `value` against the root schema, as `path: problem`; empty when it conforms.
    public func violations(of value: JSONValue) -> [String] {
        violations(of: value, against: root)
    }

    /// Every violation of `value` against `schema` (a part of the document, e.g. a response schema).
    public func violations(of value: JSONValue, against schema: JSONValue) -> [String] {
        var problems: [String] = []
        check(value, against: schema, path: "$", problems: &problems)
        return problems
    }

    /// The schema of the 200 answer of `operationId` in a Swagger document.
    public func responseSchema(of operationId: String) -> JSONValue? {
        for (_, methods) in root["paths"]?.objectValue ?? [:] {
            for (_, operation) in methods.objectValue ?? [:] where operation["operationId"]?.stringValue == operationId {
                return operation["responses"]?["200"]?["schema"]
            }
        }
        return nil
    }

    private func resolve(_ schema: JSONValue) -> JSONValue? {
        guard let ref = schema["$ref"]?.stringValue else { return schema }
        guard ref.hasPrefix("#/") else { return nil }
        var node = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = node[String(part)] else { return nil }
            node = next
        }
        return node
    }

    private func typeMatches(_ value: JSONValue, _ type: String, format: String?) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object):
            return true
        case ("integer", .integer(let n)): return format != "int32" || Int32(exactly: n) != nil
        case ("number", .integer), ("number", .number): return true
        case ("integer", .number(let d)): return dialect == .jsonSchema && d == d.rounded()
        default: return false
        }
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, problems: inout [String]) {
        guard let schema = resolve(schema) else {
            problems.append("\(path): unknown $ref \(schema["$ref"]?.stringValue ?? "")")
            return
        }
        if dialect == .swagger2 && value == .null { return }
        var declared = schema["type"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] }
        if declared == nil && dialect == .swagger2 && schema["properties"] != nil { declared = ["object"] }
        if let types = declared {
            let format = schema["format"]?.stringValue
            if !types.contains(where: { typeMatches(value, $0, format: format) }) {
                if case .integer(let n) = value, format == "int32", types.contains("integer") {
                    problems.append("\(path): \(n) does not fit int32")
                } else {
                    problems.append("\(path): expected \(types.joined(separator: " or ")), got \(value.serialized())")
                }
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
                    if additional == .bool(false) {
                        problems.append("\(path): unexpected member '\(key)'")
                    } else if case .object = additional {
                        check(member, against: additional, path: path + "." + key, problems: &problems)
                    }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (i, item) in items.enumerated() {
                check(item, against: itemSchema, path: "\(path)[\(i)]", problems: &problems)
            }
        }
    }
}
