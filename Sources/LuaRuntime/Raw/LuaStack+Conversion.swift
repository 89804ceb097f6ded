import CLua
import CLuaShims
import JSONValue

/// Why a Lua value could not be copied out as a `LuaValue`.
public struct LuaConversionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Limits and markers used when copying values between Lua and Swift.
struct ConversionContext {
    /// Registry slots of the `array` and `object` marker metatables.
    let arrayMarker: Int32
    let objectMarker: Int32
    /// The namespace table's name, for hints such as `<namespace>.null`.
    let namespace: String
    static let maximumDepth = 200
}

extension LuaStack {
    /// Pushes a Swift value. Arrays and objects carry their marker metatable, so `{}` and `[]`
    /// survive a round trip through Lua.
    func push(_ value: LuaValue, _ context: ConversionContext) {
        switch value {
        case .nil: pushNil()
        case .null: pushNull()
        case .bool(let b): pushBool(b)
        case .integer(let i): pushInteger(i)
        case .number(let d): pushNumber(d)
        case .string(let s): pushString(s)
        case .bytes(let b): pushBytes(b)
        case .array(let elements):
            _ = ensure(4)
            newTable(arrayCount: Int32(clamping: elements.count))
            for (i, element) in elements.enumerated() {
                push(element, context)
                rawSet(table: -2, index: Int64(i + 1))
            }
            pushRef(context.arrayMarker)
            setMetatable(of: -2)
        case .object(let members):
            _ = ensure(4)
            newTable(recordCount: Int32(clamping: members.count))
            for (key, member) in members {
                push(member, context)
                rawSet(table: -2, key: key)
            }
            pushRef(context.objectMarker)
            setMetatable(of: -2)
        }
    }

    /// Pushes a JSON document as `push(LuaValue(json:))` would, without building the intermediate
    /// `LuaValue` tree (a large document would otherwise exist three times at once).
    func push(json value: JSONValue, _ context: ConversionContext) {
        switch value {
        case .null: pushNull()
        case .bool(let b): pushBool(b)
        case .integer(let i): pushInteger(i)
        case .number(let d): pushNumber(d)
        case .string(let s): pushString(s)
        case .array(let elements):
            _ = ensure(4)
            newTable(arrayCount: Int32(clamping: elements.count))
            for (i, element) in elements.enumerated() {
                push(json: element, context)
                rawSet(table: -2, index: Int64(i + 1))
            }
            pushRef(context.arrayMarker)
            setMetatable(of: -2)
        case .object(let members):
            _ = ensure(4)
            newTable(recordCount: Int32(clamping: members.count))
            for (key, member) in members {
                push(json: member, context)
                rawSet(table: -2, key: key)
            }
            pushRef(context.objectMarker)
            setMetatable(of: -2)
        }
    }

    /// Copies the value at `index` out of Lua. Tables marked by the `array`/`object` markers keep
    /// their kind; unmarked tables are arrays when their keys are exactly 1...n (n ≥ 1), objects when
    /// all keys are strings, and the empty table is an object.
    func value(at index: Int32, _ context: ConversionContext) throws(LuaConversionError) -> LuaValue {
        var visiting = Set<UnsafeRawPointer>()
        let savedTop = top
        do {
            return try value(at: absolute(index), context, path: "", depth: 0, visiting: &visiting)
        } catch {
            setTop(savedTop)  // a failed walk leaves keys and values behind
            throw error
        }
    }

    private func value(
        at index: Int32, _ context: ConversionContext, path: String, depth: Int, visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaConversionError) -> LuaValue {
        switch type(at: index) {
        case .none, .nil: return .nil
        case .boolean: return .bool(bool(at: index))
        case .number:
            if isInteger(at: index), let i = integer(at: index) { return .integer(i) }
            return .number(number(at: index) ?? .nan)
        case .string: return stringValue(at: index)
        case .lightUserdata where isNull(at: index): return .null
        case .table: return try table(at: index, context, path: path, depth: depth, visiting: &visiting)
        case let other:
            throw LuaConversionError("cannot convert a \(other.name) value\(Self.at(path))")
        }
    }

    private static func at(_ path: String) -> String { path.isEmpty ? "" : " (at \(path))" }

    private enum Marker { case array, object, none }

    private func marker(of index: Int32, _ context: ConversionContext) -> Marker {
        guard pushMetatable(of: index) else { return .none }
        defer { pop(2) }
        pushRef(context.arrayMarker)
        if rawEqual(-1, -2) { return .array }
        pop()
        pushRef(context.objectMarker)
        let isObject = rawEqual(-1, -2)
        return isObject ? .object : .none
    }

    private func table(
        at index: Int32, _ context: ConversionContext, path: String, depth: Int, visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaConversionError) -> LuaValue {
        guard depth < ConversionContext.maximumDepth else {
            throw LuaConversionError("tables nested deeper than \(ConversionContext.maximumDepth) levels")
        }
        guard ensure(8) else { throw LuaConversionError("Lua stack exhausted\(Self.at(path))") }
        guard let identity = identity(at: index) else { return .nil }
        guard visiting.insert(identity).inserted else {
            throw LuaConversionError("table contains a cycle\(Self.at(path))")
        }
        defer { visiting.remove(identity) }

        let kind = marker(of: index, context)
        var integerKeys: [Int64: LuaValue] = [:]
        var stringKeys: [String: LuaValue] = [:]
        var maxIndex: Int64 = 0
        pushNil()
        while next(table: index) {
            // key at -2, value at -1; keys are copied before any conversion so lua_next is not confused.
            switch type(at: -2) {
            case .string:
                let key = string(at: -2) ?? ""
                stringKeys[key] = try value(at: absolute(-1), context, path: path + "." + key, depth: depth + 1, visiting: &visiting)
            case .number where isInteger(at: -2):
                let key = integer(at: -2) ?? 0
                guard key >= 1 else {
                    pop(2)
                    throw LuaConversionError("table has a non-positive integer key \(key)\(Self.at(path))")
                }
                integerKeys[key] = try value(at: absolute(-1), context, path: "\(path)[\(key)]", depth: depth + 1, visiting: &visiting)
                maxIndex = max(maxIndex, key)
            case let keyType:
                let shown = keyType == .number ? (string(at: -2) ?? "?") : keyType.name
                pop(2)
                throw LuaConversionError("table has a key of type \(keyType.name) (\(shown)); only string keys or 1..n are allowed\(Self.at(path))")
            }
            pop()
        }

        if !integerKeys.isEmpty && !stringKeys.isEmpty {
            let key = stringKeys.keys.sorted().first!
            throw LuaConversionError("table mixes array items and named fields ('\(key)')\(Self.at(path)); use one or the other")
        }
        if kind == .object && !integerKeys.isEmpty {
            var members: [String: LuaValue] = [:]
            for (k, v) in integerKeys { members[String(k)] = v }
            return .object(members)
        }
        if kind == .array && !stringKeys.isEmpty {
            throw LuaConversionError("array has a named field '\(stringKeys.keys.sorted().first!)'\(Self.at(path))")
        }
        if !integerKeys.isEmpty || kind == .array {
            if maxIndex != Int64(integerKeys.count) {
                let hole = (1...maxIndex).first { integerKeys[$0] == nil } ?? 1
                throw LuaConversionError("array has a hole at index \(hole)\(Self.at(path)); use \(context.namespace).null for an explicit null")
            }
            return .array((1...max(maxIndex, 1)).prefix(Int(maxIndex)).map { integerKeys[$0]! })
        }
        return .object(stringKeys)
    }
}
