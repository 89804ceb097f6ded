import JSONValue

/// `<namespace>.base64`: standard base64 (RFC 4648, with padding), binary-safe.
enum Base64Library {
    static func library(namespace: String) -> LuaLibrary {
        LuaLibrary(
            path: [namespace, "base64"],
            summary: "Base64 encoding of binary strings (RFC 4648).",
            functions: [
                HostFunction("encode", FunctionDoc(
                    "Encodes a (binary) string as base64.",
                    parameters: [.init("data", "string")], returns: [.init("text", "string")])) { call in
                    // Read in place; the Swift output and Lua's copy of it are charged to the run's cap.
                    let text = try call.withBytes(1) { input throws(LuaScriptError) in
                        try call.chargeMemory(Base64.encodedCount(input.count) * 2)
                        return Base64.encodedBytes(input)
                    }
                    call.push(bytes: text)
                    return 1
                },
                HostFunction("decode", FunctionDoc(
                    "Decodes base64 (padding optional; whitespace ignored) to a binary string.",
                    parameters: [.init("text", "string")], returns: [.init("data", "string")],
                    raises: ["invalid base64 at position N"])) { call in
                    let decoded = try call.withBytes(1) { text throws(LuaScriptError) in
                        try call.chargeMemory(text.count / 4 * 3 * 2)
                        return Base64.decode(text)
                    }
                    switch decoded {
                    case .success(let bytes):
                        call.push(bytes: bytes)
                        return 1
                    case .failure(let error):
                        throw LuaScriptError(error.description)
                    }
                },
            ]
        )
    }
}
