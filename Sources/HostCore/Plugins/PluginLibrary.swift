import ChorusAPI
import Foundation
import LuaRuntime

/// The Lua libraries a plugin's state gets on top of the `chorus` module: the registration functions
/// and the permission gates (`lua/plugin.lua`), and `chorus.store` when the plugin may use it.
enum PluginLibrary {
    /// What `plugin.lua` asks the host for.
    struct Session: Sendable {
        var plugin: String
        var entryChunk: String
        var entrySource: [UInt8]
        var permissions: Set<PluginPermission>
        /// Runs the handlers of a hook; nil in hook runs (a hook's own events fire nothing).
        var fire: (@Sendable (String, LuaValue) async throws -> Void)?
    }

    static func library(_ session: Session, namespace: String) -> LuaLibrary {
        let fire = session.fire
        let functions = [
            HostFunction("_plugin_info", FunctionDoc("The plugin this state runs.")) { call in
                call.push(.object([
                    "plugin": .string(session.plugin), "chunk": .string(session.entryChunk),
                    "source": .bytes(session.entrySource),
                    "permissions": .array(session.permissions.sorted().map { .string($0.rawValue) }),
                ]))
                return 1
            },
            HostFunction("_plugin_timezone", FunctionDoc("True for a known IANA time zone.")) { call in
                let name = try call.string(1)
                call.push(bool: name.utf8.count <= 64 && TimeZone(identifier: name) != nil)
                return 1
            },
            HostFunction("_plugin_cron", FunctionDoc("Why a cron expression cannot be scheduled, or nil.")) { call in
                let text = try call.string(1)
                do throws(ScheduleError) { _ = try CronExpression(text) } catch {
                    call.push(string: error.message)
                    return 1
                }
                call.pushNil()
                return 1
            },
            HostFunction("_plugin_operation", FunctionDoc("The qualified name of an operation, or nil.")) { call in
                // The catalog's own lookup (aliases, case), so chorus.call cannot name a deposit in
                // a way the deposit hooks miss.
                let name = try call.string(1)
                if name.utf8.count <= 256, let operation = Catalog.find(name) {
                    call.push(string: operation.qualifiedName)
                } else {
                    call.pushNil()
                }
                return 1
            },
            HostFunction("_plugin_fire", FunctionDoc("Runs the handlers of a hook.", yields: true)) { call in
                let hook = try call.string(1)
                let event = try call.value(2)
                return call.startOperation {
                    if let fire { try await fire(hook, event) }
                    return .nil
                }
            },
        ]
        return LuaLibrary(
            path: [namespace], summary: "", functions: functions,
            lua: LuaSource(name: "\(namespace)/plugin.lua", bytes: PackageResources.plugin_lua, bytecode: PrecompiledLua.chunks["plugin.lua"]),
            luaDocs: [
                "command": FunctionDoc(
                    "Registers a command (`chorus PLUGIN:NAME`), while the plugin loads.",
                    parameters: [.init("spec", "{name: string, description: string?, args: table[]?, run: fun(args: table)}")]),
                "workflow": FunctionDoc(
                    "Registers a scheduled workflow, while the plugin loads.",
                    parameters: [.init("spec", "{name: string, description: string?, cron: string?, every: string?, timezone: string?, run: fun(ctx: table)}")]),
                "on": FunctionDoc(
                    "Registers a hook handler (deposit.before, deposit.after, flow.final, invoice.status), while the plugin loads.",
                    parameters: [.init("hook", "string"), .init("handler", "fun(event: table)")]),
            ])
    }

    /// The gate the plugin's permissions put on Chorus Pro operations.
    static func gate(plugin: String, permissions: Set<PluginPermission>) -> @Sendable (ChorusOperation) -> ChorusError? {
        { operation in
            let needed: PluginPermission = operation.isWrite ? .chorusWrite : .chorusRead
            guard !permissions.contains(needed) else { return nil }
            return ChorusError(
                code: .config,
                message: "plugin '\(plugin)' may not call \(operation.qualifiedName), a \(operation.isWrite ? "write" : "read"): "
                    + "it needs the permission '\(needed.rawValue)'",
                remediation: "Add \"\(needed.rawValue)\" to permissions in the plugin's plugin.toml.")
        }
    }
}
