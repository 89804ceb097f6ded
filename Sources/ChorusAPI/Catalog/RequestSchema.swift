import JSONValue

/// One field of an operation's request body: its official name, JSON type, whether the platform
/// requires it, its allowed values, and the fields below it (an object's members, or those of each
/// item of an array of objects).
public struct RequestField: Sendable, Equatable {
    /// The official name (`identifiantFactureCPP`).
    public let name: String
    /// `string`, `integer`, `number`, `boolean`, `object` or `array`.
    public let type: String
    /// The Swagger format (`int64`, `int32`, `double`, `date-time`), if any.
    public let format: String?
    /// Whether the platform refuses a request without it (an object is required when a field below it is).
    public let required: Bool
    /// The allowed values (an enumeration), empty when any value of the type is accepted.
    public let values: [String]
    /// The type of the items of an array of plain values.
    public let items: String?
    /// The members of an object, or of each item of an array of objects.
    public let fields: [RequestField]
    /// What the official documentation says of it, when it says something.
    public let summary: String?
    /// A value for examples, when the type alone would give a poor one.
    public let example: JSONValue?

    init(json: JSONValue) {
        name = json["name"]?.stringValue ?? ""
        type = json["type"]?.stringValue ?? "object"
        format = json["format"]?.stringValue
        required = json["required"] == .bool(true)
        values = json["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
        items = json["items"]?.stringValue
        fields = json["fields"]?.arrayValue?.map(RequestField.init(json:)) ?? []
        summary = json["summary"]?.stringValue
        example = json["example"]
    }

    /// The field as JSON: the shape `chorus call OP --schema --json` prints and `chorus.operations()` carries.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["name": .string(name), "type": .string(type), "required": .bool(required)]
        if let format { members["format"] = .string(format) }
        if !values.isEmpty { members["values"] = .array(values.map { .string($0) }) }
        if let items { members["items"] = .string(items) }
        if !fields.isEmpty { members["fields"] = .array(fields.map(\.json)) }
        if let summary { members["summary"] = .string(summary) }
        return .object(members)
    }

    /// A value of this field for a minimal example.
    var exampleValue: JSONValue {
        if let example { return example }
        if let first = values.first { return type == "array" ? .array([.string(first)]) : .string(first) }
        switch type {
        case "string":
            if format == "date-time" || name.lowercased().contains("date") { return "2026-01-31" }
            return "TEXTE"
        case "integer": return 1
        case "number": return 100.0
        case "boolean": return false
        case "array":
            if !fields.isEmpty { return .array([RequestSchema.minimal(fields)]) }
            return .array([RequestField.placeholder(items ?? "string")])
        default: return RequestSchema.minimal(fields)
        }
    }

    static func placeholder(_ type: String) -> JSONValue {
        switch type {
        case "integer": return 1
        case "number": return 100.0
        case "boolean": return false
        default: return "TEXTE"
        }
    }
}

/// What an operation expects in its request body, from the official Swagger where there is one (the
/// Factures and Structures APIs) and from what the platform is known to accept otherwise; what it
/// requires, as the platform refuses a request without it. `chorus call OP --schema` and `--example`
/// print it; `chorus.operations()` carries it.
public struct RequestSchema: Sendable {
    /// Where the fields come from.
    public enum Source: String, Sendable {
        /// The official Swagger file of the API.
        case swagger
        /// No Swagger at hand: the fields the platform is known to accept.
        case reference
    }

    /// The operation (`factures.completerFacture`).
    public let operation: String
    /// Where the fields come from.
    public let source: Source
    /// The top-level fields.
    public let fields: [RequestField]

    /// A minimal valid payload: the required fields, with example values.
    public var example: JSONValue { RequestSchema.minimal(fields) }

    /// The schema as JSON: `{operation, source, fields: [{name, type, required, values, fields...}]}`.
    public var json: JSONValue {
        .object([
            "operation": .string(operation), "source": .string(source.rawValue),
            "fields": .array(fields.map(\.json)),
        ])
    }

    /// One line per field, indented below its parent: `name  type  required  (values)  summary`.
    public var text: String {
        var lines: [String] = []
        func list(_ fields: [RequestField], depth: Int) {
            for field in fields {
                var type = field.type
                if field.type == "array" { type = "array of " + (field.fields.isEmpty ? (field.items ?? "string") : "objects") }
                var line = String(repeating: "  ", count: depth) + field.name + "  " + type
                if field.required { line += "  REQUIRED" }
                if !field.values.isEmpty { line += "  one of " + field.values.joined(separator: ", ") }
                if let summary = field.summary { line += "  — " + summary }
                lines.append(line)
                list(field.fields, depth: depth + 1)
            }
        }
        list(fields, depth: 1)
        let origin = source == .swagger ? "the official Swagger" : "the platform's known fields (no Swagger here)"
        let head = "\(operation): request fields, from \(origin)"
        return ([head] + (lines.isEmpty ? ["  (no body: {} is enough)"] : lines)).joined(separator: "\n")
    }

    static func minimal(_ fields: [RequestField]) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for field in fields where field.required { members[field.name] = field.exampleValue }
        return .object(members)
    }

    /// Every schema, by qualified operation name, read once from the data generated from the Swagger
    /// files (`scripts/gen-request-fields`).
    static let all: [String: RequestSchema] = {
        guard let document = try? JSONValue.parse(String(decoding: PackageResources.request_fields_json, as: UTF8.self)),
            let operations = document["operations"]?.objectValue
        else { return [:] }
        var schemas: [String: RequestSchema] = [:]
        for (name, entry) in operations {
            schemas[name] = RequestSchema(
                operation: name, source: Source(rawValue: entry["source"]?.stringValue ?? "") ?? .reference,
                fields: entry["fields"]?.arrayValue?.map(RequestField.init(json:)) ?? [])
        }
        return schemas
    }()
}

extension ChorusOperation {
    /// What this operation expects in its request body.
    public var requestSchema: RequestSchema {
        RequestSchema.all[qualifiedName] ?? RequestSchema(operation: qualifiedName, source: .reference, fields: [])
    }
}
