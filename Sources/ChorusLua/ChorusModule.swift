import ChorusAPI
import LuaRuntime
import NameSuggestions

/// The `chorus` module for one run (docs/lua.md): the client bindings, `chorus.fs`, and the domain
/// tables written in Lua (`lua/*.lua`) over them. Install after the core utilities (`ScriptRunner` does).
public enum ChorusModule {
    /// The name of the global table scripts use.
    public static let namespace = "chorus"

    /// Every library of the module, in installation order.
    public static func libraries(_ context: ChorusLuaContext) -> [LuaLibrary] {
        [
            LuaLibrary(
                path: ["chorus"],
                summary: "Chorus Pro through PISTE: the escape hatch call(), env(), token(), health(), operations(), errors.",
                functions: ClientBindings.functions(context) + helperFunctions(),
                lua: SupportLua.source,
                luaDocs: SupportLua.docs),
            FileBindings.library(context),
            TimeBindings.library(),
            LuaLibrary(path: ["chorus", "invoices"], summary: "Invoices: deposit, submit, search, read, download, process.",
                       functions: DepositBindings.functions(context), lua: InvoicesLua.source, luaDocs: InvoicesLua.docs),
            LuaLibrary(path: ["chorus", "invoices"], summary: "", functions: ChecksLua.functions(), lua: ChecksLua.source,
                       luaDocs: ChecksLua.docs),
            LedgerBindings.library(context),
            LuaLibrary(path: ["chorus", "flows"], summary: "Deposited flux: report, wait, invoices.",
                       functions: [], lua: FlowsLua.source, luaDocs: FlowsLua.docs),
            LuaLibrary(path: ["chorus", "structures"], summary: "Structures: find by SIRET, read, services, requirements.",
                       functions: [], lua: StructuresLua.source, luaDocs: StructuresLua.docs),
            LuaLibrary(path: ["chorus"], summary: "", functions: [], lua: OtherDomainsLua.source, luaDocs: OtherDomainsLua.docs),
            LuaLibrary(path: ["chorus", "csv"], summary: "CSV text, quoted as RFC 4180 says.",
                       functions: [], lua: CsvLua.source, luaDocs: CsvLua.docs),
        ]
    }

    private static func helperFunctions() -> [HostFunction] {
        [
            HostFunction("_suggest", FunctionDoc("Did-you-mean hint.")) { call in
                let name = try call.string(1)
                guard case .array(let items) = try call.table(2) else { return 0 }
                call.push(string: Suggestions.hint(for: name, among: items.compactMap(\.stringValue)))
                return 1
            },
            HostFunction("_vocabulary", FunctionDoc("The Chorus Pro vocabulary (ChorusAPI's Vocabulary) as tables.")) { call in
                func list(_ words: [String]) -> LuaValue { .array(words.map { .string($0) }) }
                call.push(.object([
                    "syntaxes": list(Vocabulary.syntaxesFlux),
                    "final_flow_states": list(Vocabulary.FlowState.final),
                    "invoice_statuses": list(Vocabulary.invoiceStatuses),
                    "processing_statuses": list(Vocabulary.recipientProcessingStatuses),
                    "statuses_needing_reason": list(Vocabulary.statusesNeedingReason),
                    "error_codes": list(Vocabulary.errorCodes),
                ]))
                return 1
            },
        ]
    }
}
