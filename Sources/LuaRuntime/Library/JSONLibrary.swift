import JSONValue

/// `<namespace>.json`: JSON text to Lua values and back, keeping `null`, `{}` and `[]` apart.
enum JSONLibrary {
    static func library(namespace: String) -> LuaLibrary {
        LuaLibrary(
            path: [namespace, "json"],
            summary: "JSON encoding and decoding (null is \(namespace).null; arrays and objects keep their kind).",
            functions: [
                HostFunction("encode", FunctionDoc(
                    "Encodes a value as JSON text. Object keys are sorted. Tables must be arrays (keys 1..n) or objects (string keys); mark empty ones with \(namespace).array / \(namespace).object.",
                    parameters: [.init("value", "any"), .init("options", "{pretty: boolean?}?")],
                    returns: [.init("text", "string")],
                    raises: ["bad argument when the value has no JSON form (functions, cycles, mixed tables, binary strings)"])) { call in
                    let options = try call.options(2, allowed: ["pretty"])
                    let value = try call.value(1)
                    do {
                        let json = try value.toJSON(namespace: namespace)
                        call.push(bytes: json.serializedBytes(JSONWriteOptions(pretty: options["pretty"] == .bool(true))))
                        return 1
                    } catch {
                        throw LuaArgumentError(1, String(describing: error))
                    }
                },
                HostFunction("decode", FunctionDoc(
                    "Decodes JSON text. null becomes \(namespace).null; arrays and objects are marked so they encode back the same.",
                    parameters: [.init("text", "string")],
                    returns: [.init("value", "any")],
                    raises: ["invalid JSON at line L, column C: ..."])) { call in
                    let bytes = try call.bytes(1)
                    // The parse tree lives in Swift's heap, outside the allocator's count: it is
                    // charged to the run's cap before it is built.
                    try call.chargeMemory(estimatedCost(of: bytes))
                    do {
                        call.push(json: try JSONValue.parse(bytes))
                        return 1
                    } catch {
                        throw LuaScriptError(String(describing: error))
                    }
                },
            ]
        )
    }

    /// Bytes the Swift parse tree and the Lua tables of `text` may take at once: the text, plus a
    /// generous per-value cost (an enum case, a dictionary slot, a Lua table slot) for every value.
    static func estimatedCost(of text: [UInt8]) -> Int {
        var values = 1
        var inString = false
        var escaped = false
        for byte in text {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"): values += 1
            default: break
            }
        }
        return text.count * 2 + values * perValueCost
    }

    /// Measured upper bound of Swift and Lua memory per JSON value while decoding (a small object
    /// costs a dictionary in Swift and a table in Lua).
    static let perValueCost = 320
}
