import ChorusAPI
import JSONValue
import LuaRuntime

/// `chorus.invoices.explain`: ChorusAPI's rejection explainer for scripts (docs/check.md). The shapes a
/// script holds (an error, a report, a ledger row) are read in Lua; Swift matches each line.
enum ChecksLua {
    static let docs: [String: FunctionDoc] = [
        "explain": FunctionDoc(
            "Explains a platform rejection with the rules of docs/check.md: a message (a libelle, a listeErreurDP / listeErreurTechnique line, a *_MSG_* code), a chorus.Error (its libelle or message), a flow report (chorus.flows.report: every rejection line), or a ledger row (its report). Returns one entry per explanation: message, rule, term (BT-xx), element, meaning, meaning_fr, fix, source, confidence, known = true; a line chorus does not know gives {message, known = false}.",
            parameters: [.init("x", "string|table", "a message, a chorus.Error, a flow report or a ledger row")],
            returns: [
                .init(
                    "explanations",
                    "{message: string, known: boolean, rule: string?, term: string?, element: string?, meaning: string?, meaning_fr: string?, fix: string?, source: string?, confidence: string?}[]")
            ],
            raises: ["bad argument for anything else"])
    ]

    static let source = LuaSource(name: "chorus/checks.lua", bytes: PackageResources.checks_lua, bytecode: PrecompiledLua.chunks["checks.lua"])

    static func functions() -> [HostFunction] {
        [
            HostFunction("_explain", FunctionDoc("Explains one rejection line (internal).")) { call in
                let text = try call.string(1)
                let entries: [JSONValue] = RejectionExplainer.explain(String(text.prefix(10_000))).map { e in
                    var members: [String: JSONValue] = [
                        "message": .string(e.message), "term": .string(e.term), "meaning": .string(e.meaningEN),
                        "meaning_fr": .string(e.meaningFR), "fix": .string(e.fix), "source": .string(e.source),
                    ]
                    if let rule = e.rule { members["rule"] = .string(rule) }
                    if let element = e.element { members["element"] = .string(element) }
                    if let confidence = e.confidence { members["confidence"] = .string(confidence.rawValue) }
                    return .object(members)
                }
                call.push(json: .array(entries))
                return 1
            }
        ]
    }
}
