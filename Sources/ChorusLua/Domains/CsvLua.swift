import LuaRuntime

/// `chorus.csv`: CSV text for report scripts (RFC 4180 quoting), so none writes its own.
enum CsvLua {
    static let docs: [String: FunctionDoc] = [
        "encode": FunctionDoc(
            "CSV text (RFC 4180): a field holding the separator, a quote, CR or LF is quoted and its quotes doubled; nil and chorus.null are empty fields; lines end with CRLF unless eol says otherwise. rows are lists of values, or tables with named fields when header names the columns (header is then the first line).",
            parameters: [.init("rows", "table[]"), .init("options", "{header: string[]?, separator: string?, eol: string?}?", "separator: one character, ',' by default")],
            returns: [.init("text", "string")]),
    ]

    /// The Lua that defines them (`lua/csv.lua`).
    static let source = LuaSource(name: "chorus/csv.lua", bytes: PackageResources.csv_lua, bytecode: PrecompiledLua.chunks["csv.lua"])
}
