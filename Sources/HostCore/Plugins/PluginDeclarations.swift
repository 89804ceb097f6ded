import LuaRuntime

/// An argument of a plugin command, as its `args` declares it: positional unless `option` (then
/// `--name VALUE`); a boolean is a flag (`--name`).
public struct PluginArgument: Sendable, Equatable {
    public enum Kind: String, Sendable { case string, integer, number, boolean }
    public var name: String
    public var help: String
    public var kind: Kind
    public var option: Bool
    public var required: Bool
    public var defaultValue: LuaValue?
}

/// A command declared with `chorus.command{...}`.
public struct PluginCommand: Sendable, Equatable {
    public var name: String
    public var description: String
    public var arguments: [PluginArgument]
}

/// What a plugin registered while it loaded.
public struct PluginDeclarations: Sendable, Equatable {
    public var commands: [PluginCommand] = []
    public var workflows: [WorkflowDeclaration] = []
    /// Each workflow's description, by name.
    public var workflowDescriptions: [String: String] = [:]
    /// The hooks it handles (`deposit.before`...).
    public var hooks: [String] = []

    /// The hooks a plugin may handle.
    public static let hookNames = ["deposit.before", "deposit.after", "flow.final", "invoice.status"]

    public init() {}

    /// Reads the table the plugin driver returns (`plugin.lua`, `declarations`).
    init(plugin: String, value: LuaValue) {
        func list(_ value: LuaValue?) -> [LuaValue] {
            if case .array(let items)? = value { return items }
            return []
        }
        for item in list(value["commands"]) {
            let arguments = list(item["args"]).map { arg in
                PluginArgument(
                    name: arg["name"]?.stringValue ?? "", help: arg["help"]?.stringValue ?? "",
                    kind: PluginArgument.Kind(rawValue: arg["type"]?.stringValue ?? "") ?? .string,
                    option: arg["option"] == .bool(true), required: arg["required"] == .bool(true),
                    defaultValue: arg["default"])
            }
            commands.append(PluginCommand(
                name: item["name"]?.stringValue ?? "", description: item["description"]?.stringValue ?? "", arguments: arguments))
        }
        for item in list(value["workflows"]) {
            let name = item["name"]?.stringValue ?? ""
            let timing: WorkflowTiming
            if let cron = item["cron"]?.stringValue {
                timing = .cron(cron)
            } else if case .integer(let seconds)? = item["every"] {
                timing = .every(seconds: Int(seconds))
            } else {
                continue
            }
            workflows.append(WorkflowDeclaration(
                plugin: plugin, name: name, timing: timing, timeZone: item["timezone"]?.stringValue ?? "Europe/Paris"))
            workflowDescriptions[name] = item["description"]?.stringValue ?? ""
        }
        hooks = list(value["hooks"]).compactMap(\.stringValue)
    }
}
