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
                    let bytes = try call.bytes(1)
                    // Swift copies (input, output, Lua's string) are charged to the run's cap.
                    try call.chargeMemory(bytes.count * 4)
                    call.push(bytes: Base64.encodedBytes(bytes))
                    return 1
                },
                HostFunction("decode", FunctionDoc(
                    "Decodes base64 (padding optional; whitespace ignored) to a binary string.",
                    parameters: [.init("text", "string")], returns: [.init("data", "string")],
                    raises: ["invalid base64 at position N"])) { call in
                    let text = try call.bytes(1)
                    try call.chargeMemory(text.count * 2)
                    switch Base64.decode(text) {
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
