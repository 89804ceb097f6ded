import LuaRuntime

/// How the REPL shows a `chorus.Error`: the one line its `__tostring` gives in Lua
/// (`where: CODE operation (HTTP status, codeRetour n): message`).
enum ReplErrors {
    static func oneLine(_ fields: [String: LuaValue]) -> String {
        var text = fields["code"]?.stringValue ?? "ERROR"
        if let operation = fields["operation"]?.stringValue { text += " " + operation }
        var details: [String] = []
        if let status = fields["status"] { details.append("HTTP " + plain(status)) }
        if let codeRetour = fields["codeRetour"] { details.append("codeRetour " + plain(codeRetour)) }
        if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
        text += ": " + (fields["message"]?.stringValue ?? fields["libelle"]?.stringValue ?? "")
        if let place = fields["where"]?.stringValue { text = place + ": " + text }
        return text
    }

    private static func plain(_ value: LuaValue) -> String {
        switch value {
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s): return s
        default: return "?"
        }
    }
}
