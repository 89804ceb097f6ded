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
                        call.push(string: json.serialized(JSONWriteOptions(pretty: options["pretty"] == .bool(true))))
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
                    do {
                        call.push(LuaValue(json: try JSONValue.parse(bytes)))
                        return 1
                    } catch {
                        throw LuaScriptError(String(describing: error))
                    }
                },
            ]
        )
    }
}
