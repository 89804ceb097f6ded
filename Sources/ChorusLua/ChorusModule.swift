import ChorusAPI
import LuaRuntime

/// The `chorus` module of DESIGN.md §3 for one run: the client bindings, `chorus.fs`, and the
/// domain tables written in Lua over them. Install after the core utilities (`ScriptRunner` does).
public enum ChorusModule {
    /// Every library of the module, in installation order.
    public static func libraries(_ context: ChorusLuaContext) -> [LuaLibrary] {
        [
            LuaLibrary(
                path: ["chorus"],
                summary: "Chorus Pro through PISTE: the escape hatch call(), env(), token(), health(), operations(), errors.",
                functions: ClientBindings.functions(context) + helperFunctions(),
                lua: SupportLua.source,
                luaDocs: [
                    "errors.is": FunctionDoc(
                        "Whether err is a chorus.Error of the given code (NETWORK, ENVIRONMENT, AUTH_APP, NOT_SUBSCRIBED, AUTH_ACCOUNT, STRUCTURE, BUSINESS, RATE_LIMITED, SERVER, TIMEOUT, CANCELLED, CONFIG).",
                        parameters: [.init("err", "any"), .init("code", "string")], returns: [.init("is", "boolean")]),
                ]),
            FileBindings.library(context),
            LuaLibrary(path: ["chorus", "invoices"], summary: "Invoices: deposit, submit, search, read, download, process.",
                       functions: [], lua: InvoicesLua.source, luaDocs: InvoicesLua.docs),
            LuaLibrary(path: ["chorus", "flows"], summary: "Deposited flux: report, wait, invoices.",
                       functions: [], lua: FlowsLua.source, luaDocs: FlowsLua.docs),
            LuaLibrary(path: ["chorus", "structures"], summary: "Structures: find by SIRET, read, services, requirements.",
                       functions: [], lua: StructuresLua.source, luaDocs: StructuresLua.docs),
            LuaLibrary(path: ["chorus"], summary: "", functions: [], lua: OtherDomainsLua.source, luaDocs: OtherDomainsLua.docs),
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
            HostFunction("_detect", FunctionDoc("Detects the syntaxeFlux of an invoice.")) { call in
                if let syntax = InvoiceDocument.syntaxeFlux(of: try call.bytes(1)) { call.push(string: syntax) } else { call.pushNil() }
                return 1
            },
        ]
    }
}
