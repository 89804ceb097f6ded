import Foundation
import JSONValue

/// A small Swagger 2.0 schema validator over JSONValue: `type` (with int32/int64 ranges), `required`,
/// `properties`, `items`, `$ref` and `enum`. Members a schema does not list are allowed (Swagger 2.0's
/// default). String formats such as `date-time` are not checked: the platform itself mixes date forms.
struct SwaggerValidator {
    let definitions: [String: JSONValue]
    let document: JSONValue

    init(document: JSONValue) {
        self.document = document
        definitions = document["definitions"]?.objectValue ?? [:]
    }

    /// The reference folder next to the repository (`../shared/reference`), if present.
    static func referenceFolder() -> URL? {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        // #filePath is .../<worktree>/Tests/ChorusSimulatorTests/Support/SwaggerValidator.swift.
        let candidates = [
            url.appendingPathComponent("../shared/reference").standardized,
            URL(fileURLWithPath: "/work/shared/reference"),
        ]
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("factures.swagger.json").path)
        }
    }

    static func load(_ name: String) -> SwaggerValidator? {
        guard let folder = referenceFolder(),
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
            let document = try? JSONValue.parse([UInt8](data))
        else { return nil }
        return SwaggerValidator(document: document)
    }

    /// The schema of the 200 answer of `operationId`.
    func responseSchema(of operationId: String) -> JSONValue? {
        for (_, methods) in document["paths"]?.objectValue ?? [:] {
            for (_, operation) in methods.objectValue ?? [:] where operation["operationId"]?.stringValue == operationId
            {
                return operation["responses"]?["200"]?["schema"]
            }
        }
        return nil
    }

    /// The problems of `value` against `schema`, each with its path; empty when valid.
    func validate(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        if let ref = schema["$ref"]?.stringValue {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let target = definitions[name] else { return ["\(path): unknown $ref \(ref)"] }
            return validate(value, against: target, at: path)
        }
        if value == .null { return [] }
        var problems: [String] = []
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            problems.append("\(path): \(value.serialized()) is not one of the enumeration")
        }
        let type = schema["type"]?.stringValue ?? (schema["properties"] != nil ? "object" : nil)
        switch type {
        case "object"?:
            guard case .object(let members) = value else {
                return problems + ["\(path): expected object, got \(value.typeName)"]
            }
            for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            where members[required] == nil {
                problems.append("\(path): missing required \(required)")
            }
            for (key, member) in members {
                if let memberSchema = schema["properties"]?[key] {
                    problems += validate(member, against: memberSchema, at: "\(path).\(key)")
                }
            }
        case "array"?:
            guard case .array(let elements) = value else {
                return problems + ["\(path): expected array, got \(value.typeName)"]
            }
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() {
                    problems += validate(element, against: items, at: "\(path)[\(index)]")
                }
            }
        case "string"?:
            if case .string = value {} else { problems.append("\(path): expected string, got \(value.typeName)") }
        case "boolean"?:
            if case .bool = value {} else { problems.append("\(path): expected boolean, got \(value.typeName)") }
        case "number"?:
            switch value {
            case .integer, .number: break
            default: problems.append("\(path): expected number, got \(value.typeName)")
            }
        case "integer"?:
            guard case .integer(let number) = value else {
                return problems + ["\(path): expected integer, got \(value.serialized())"]
            }
            if schema["format"]?.stringValue == "int32", Int32(exactly: number) == nil {
                problems.append("\(path): \(number) does not fit int32")
            }
        default:
            break
        }
        return problems
    }
}
