import ChorusAPI
import LuaRuntime

/// Scripts see a `ChorusError` as a `chorus.Error` table with the fields of docs/lua.md.
extension ChorusError: LuaTableError {
    public var luaFields: [String: LuaValue] {
        var fields: [String: LuaValue] = [
            "code": .string(code.rawValue),
            "message": .string(message),
            "retryable": .bool(retryable),
        ]
        if let status { fields["status"] = .integer(Int64(status)) }
        if let codeRetour { fields["codeRetour"] = .integer(Int64(codeRetour)) }
        if let libelle { fields["libelle"] = .string(libelle) }
        if let operation { fields["operation"] = .string(operation) }
        if let remediation { fields["remediation"] = .string(remediation) }
        if let correlationId { fields["correlationId"] = .string(correlationId) }
        if let wwwAuthenticate { fields["wwwAuthenticate"] = .string(wwwAuthenticate) }
        if let environment { fields["environment"] = .string(environment) }
        if let fluxNumber { fields["numeroFluxDepot"] = .string(fluxNumber) }
        return fields
    }
}

extension ChorusError.Code {
    /// The exit code for an uncaught `chorus.Error` whose `code` field is `raw`.
    public static func exitCode(forLuaCode raw: String) -> Int32? {
        ChorusError.Code(rawValue: raw)?.exitCode
    }
}
