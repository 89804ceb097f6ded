import JSONValue
import LuaRuntime

/// `chorus.store` for one plugin's run: `get`, `set`, `delete`, `keys`, and `update` (written in Lua
/// over `_get` and `_swap`, `lua/store.lua`).
enum StoreBindings {
    static func key(_ call: inout LuaCall, _ fname: String) throws -> String {
            let key = try call.string(1)
            do throws(PluginStore.Refusal) { try PluginStore.check(key: key) } catch {
                throw LuaArgumentError(1, error.description)
            }
            return key
        }
    static func value(_ call: inout LuaCall, _ index: Int32) throws -> JSONValue? {
            if call.isNoneOrNil(index) { return nil }
            let value = try call.value(index)
            do { return try value.toJSON(namespace: call.namespace) } catch {
                throw LuaArgumentError(index, "the value cannot be stored: \(error)")
            }
        }
    static func push(_ call: inout LuaCall, _ json: JSONValue?) {
            if let json { call.push(json: json) } else { call.pushNil() }
        }
    static func failure(_ error: any Error, store: PluginStore) -> LuaScriptError {
            if let refusal = error as? PluginStore.Refusal { return LuaScriptError("chorus.store: \(refusal.description)") }
            return LuaScriptError("chorus.store: the store \(store.path) failed: \(error)")
        }

    static func library(store: PluginStore, plugin: String, namespace: String) -> LuaLibrary {
        @Sendable func failure(_ error: any Error) -> LuaScriptError { StoreBindings.failure(error, store: store) }
        let functions = [
            HostFunction("get", FunctionDoc(
                "The value stored under key, or nil.", parameters: [.init("key", "string")], returns: [.init("value", "any")])
            ) { call in
                let name = try key(&call, "get")
                do { push(&call, try store.get(plugin: plugin, key: name).value) } catch { throw failure(error) }
                return 1
            },
            HostFunction("set", FunctionDoc(
                "Stores value (a string, number, boolean or table of them) under key; nil deletes it.",
                parameters: [.init("key", "string"), .init("value", "any")])
            ) { call in
                let name = try key(&call, "set")
                let json = try value(&call, 2)
                do { try store.put(plugin: plugin, key: name, value: json) } catch { throw failure(error) }
                return 0
            },
            HostFunction("delete", FunctionDoc("Deletes key.", parameters: [.init("key", "string")])) { call in
                let name = try key(&call, "delete")
                do { try store.put(plugin: plugin, key: name, value: nil) } catch { throw failure(error) }
                return 0
            },
            HostFunction("keys", FunctionDoc(
                "The keys holding a value, sorted; those starting with prefix when given.",
                parameters: [.init("prefix", "string?")], returns: [.init("keys", "string[]")])
            ) { call in
                let prefix = try call.optionalString(1)
                do {
                    call.push(.array(try store.keys(plugin: plugin, prefix: prefix).map { .string($0) }))
                } catch { throw failure(error) }
                return 1
            },
            HostFunction("_get", FunctionDoc("The value and its version.")) { call in
                let name = try key(&call, "update")
                do {
                    let read = try store.get(plugin: plugin, key: name)
                    push(&call, read.value)
                    call.push(integer: read.version)
                } catch { throw failure(error) }
                return 2
            },
            HostFunction("_swap", FunctionDoc("Writes the value if the version has not moved.")) { call in
                let name = try key(&call, "update")
                let version = try call.integer(2)
                let json = try value(&call, 3)
                do {
                    call.push(bool: try store.put(plugin: plugin, key: name, value: json, expectedVersion: version))
                } catch { throw failure(error) }
                return 1
            },
        ]
        return LuaLibrary(
            path: [namespace, "store"], summary: "The plugin's key/value store (SQLite), the only state kept between runs.",
            functions: functions, lua: LuaSource(name: "\(namespace)/store.lua", bytes: PackageResources.store_lua, bytecode: PrecompiledLua.chunks["store.lua"]),
            luaDocs: [
                "update": FunctionDoc(
                    "Atomically replaces the value of key with fn(old value) and returns it; fn may run again when another run changed the key meanwhile (nil deletes).",
                    parameters: [.init("key", "string"), .init("fn", "fun(old: any): any")], returns: [.init("value", "any")])
            ])
    }
}
