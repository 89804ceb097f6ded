import ChorusAPI
import LuaRuntime

/// Lua helpers shared by the domain tables: argument checks in Lua's stock wording, option tables
/// with "did you mean", paging over the different pager and list keys, `chorus.errors`, acting as
/// another account (`chorus.as`, `chorus.client`).
enum SupportLua {
    static let docs: [String: FunctionDoc] = [
        "errors.is": FunctionDoc(
            "Whether err is a chorus.Error of the given code (" + Vocabulary.errorCodes.joined(separator: ", ")
                + "); without code, whether it is any chorus.Error; with \"MISUSE\", whether it is a misuse of a function (a string in Lua's \"bad argument #n to 'f'\" wording, at the script's line), never a remote failure.",
            parameters: [.init("err", "any"), .init("code", "string?")], returns: [.init("is", "boolean")],
            raises: ["bad argument for an unknown code (with the closest names)"]),
        "as": FunctionDoc(
            "Calls fn(...) acting as another technical account: every Chorus Pro call it makes, and every task it spawns (chorus.spawn, chorus.all), uses that account. On the built-in simulator the names are its seeded accounts (supplier, supplier-beta, recipient); elsewhere, profiles of the configuration aimed at the same environment. Returns fn's results.",
            parameters: [.init("account", "string", "a simulator account or a profile"), .init("fn", "function"), .init("...", "any")],
            returns: [.init("...", "any")],
            raises: ["chorus.Error CONFIG for an unknown account or a profile of another environment (at the first call)"]),
        "client": FunctionDoc(
            "A table with the same functions as chorus (invoices, flows, structures, attachments, commitments, account, lookups, works_invoices, call, env, health), each acting as the account named by profile (see chorus.as).",
            parameters: [.init("options", "{profile: string}")],
            returns: [.init("client", "chorus.Client")]),
    ]

    /// The Lua that defines them (`lua/support.lua`).
    static let source = LuaSource(name: "chorus/support.lua", bytes: PackageResources.support_lua, bytecode: PrecompiledLua.chunks["support.lua"])
}
