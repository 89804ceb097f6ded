import ChorusAPI
import ChorusLua
import Foundation
import Logging
import LuaRuntime

/// Runs plugins: loads each one (registration only) to learn its commands, workflows and hooks, and
/// runs one of them in a fresh Lua state each time. It is the `WorkflowRunner` the scheduler uses.
public actor PluginHost: WorkflowRunner {
    /// What the host gives each run.
    public struct Options: Sendable {
        /// The `chorus` module's context for a run of this plugin (clients, files, ledger).
        public var context: @Sendable (PluginRecord) -> ChorusLuaContext
        /// The store file (`PluginStore.defaultPath`), opened on first use.
        public var storePath: String
        /// How long a load (registration only) may take, in seconds.
        public var loadBudget: Double = 2
        /// How long a run may take, in seconds (nil: no limit).
        public var timeout: Double? = 600
        /// The memory cap of each state, in bytes.
        public var memoryLimit: Int = 64 << 20
        /// Where `chorus.log.*` of command runs goes.
        public var logger: Logger
        /// Scrubs secrets from the log lines of workflow runs.
        public var redactor: Redactor = Redactor()

        public init(
            context: @escaping @Sendable (PluginRecord) -> ChorusLuaContext, storePath: String,
            logger: Logger = Logger(label: "chorus.plugins")
        ) {
            self.context = context
            self.storePath = storePath
            self.logger = logger
        }
    }

    private var catalogState: PluginCatalog
    private let options: Options
    private var loaded: [String: Result<PluginDeclarations, PluginFailure>] = [:]
    private var store: PluginStore?

    public init(catalog: PluginCatalog, options: Options) {
        self.catalogState = catalog
        self.options = options
    }

    /// Why a plugin cannot run, in one line naming it.
    public struct PluginFailure: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    // MARK: Loading

    /// Reads the search path again and forgets every declaration: a long-running scheduler sees the
    /// plugins installed, changed or removed since (runs always read the entry afresh).
    public func reload() {
        catalogState = PluginCatalog(searchPath: catalogState.searchPath)
        loaded = [:]
    }

    /// The catalog after loading every enabled plugin: a plugin whose load failed is disabled with the
    /// reason (and so are those requiring it).
    public func catalog() async -> PluginCatalog {
        for record in catalogState.enabled { _ = await declarations(of: record.name) }
        return catalogState
    }

    /// What `name` registered; loads it the first time.
    public func declarations(of name: String) async -> Result<PluginDeclarations, PluginFailure> {
        if let known = loaded[name] { return known }
        guard let record = catalogState.record(named: name) else {
            return .failure(PluginFailure(description: "no plugin named '\(name)' (chorus plugins list shows them)"))
        }
        guard record.isEnabled else {
            let reason: String
            switch record.state {
            case .disabled(let why): reason = why
            case .shadowed(let by): reason = "shadowed by \(by)"
            case .enabled: reason = ""
            }
            return .failure(PluginFailure(description: "plugin '\(name)' is disabled: \(reason)"))
        }
        let result: Result<PluginDeclarations, PluginFailure>
        switch await execute(record, mode: "load", name: "", payload: .nil, output: { _ in }, logger: options.logger, fire: nil) {
        case .success(let values):
            result = .success(PluginDeclarations(plugin: name, value: values.first ?? .nil))
        case .failure(let error):
            let reason = Self.loadFailure(error, budget: options.loadBudget)
            catalogState.disable(name, reason: reason)
            result = .failure(PluginFailure(description: "plugin '\(name)' is disabled: \(reason)"))
        }
        loaded[name] = result
        return result
    }

    static func loadFailure(_ error: LuaError, budget: Double) -> String {
        switch error {
        case .timeout:
            return "its load ran past its budget of \(budget.formatted()) s (loading only registers commands, workflows and hooks)"
        case .memory(let limit, _):
            return "its load went past the memory cap of \(limit >> 20) MB"
        default:
            return "its load failed: \(error)"
        }
    }

    // MARK: Runs

    /// Runs `command` of `plugin` with its parsed `arguments` table; `output` receives `print`.
    public func runCommand(
        plugin: String, command: String, arguments: LuaValue, output: @escaping @Sendable (String) -> Void
    ) async -> Result<[LuaValue], LuaError> {
        guard let record = catalogState.record(named: plugin), record.isEnabled else {
            return .failure(.script(path: plugin, reason: "no enabled plugin '\(plugin)'"))
        }
        return await execute(record, mode: "command", name: command, payload: arguments, output: output, logger: options.logger, fire: fireClosure(output: output))
    }

    public func declarations() async throws -> [WorkflowDeclaration] {
        var result: [WorkflowDeclaration] = []
        for record in catalogState.enabled {
            if case .success(let declared) = await declarations(of: record.name) { result += declared.workflows }
        }
        return result
    }

    public func run(_ workflow: WorkflowDeclaration, log: @escaping @Sendable (String) -> Void) async -> WorkflowOutcome {
        guard case .success(let declared) = await declarations(of: workflow.plugin) else {
            return .failed(code: "CONFIG", message: "plugin '\(workflow.plugin)' is not enabled")
        }
        guard declared.workflows.contains(where: { $0.name == workflow.name }), let record = catalogState.record(named: workflow.plugin) else {
            return .failed(code: "CONFIG", message: "plugin '\(workflow.plugin)' has no workflow '\(workflow.name)'")
        }
        let redactor = options.redactor
        let lines: @Sendable (String) -> Void = { text in
            let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
            for line in body.split(separator: "\n", omittingEmptySubsequences: false) { log(redactor.scrub(String(line))) }
        }
        var logger = Logger(label: "chorus.plugin.\(workflow.plugin)") { _ in LineLogHandler(sink: lines) }
        logger.logLevel = .info
        let context: LuaValue = .object([
            "plugin": .string(workflow.plugin), "workflow": .string(workflow.name), "time_zone": .string(workflow.timeZone),
        ])
        let result = await execute(record, mode: "workflow", name: workflow.name, payload: context, output: lines, logger: logger, fire: fireClosure(output: lines))
        return Self.outcome(result)
    }

    /// How a run's result reads for the scheduler.
    static func outcome(_ result: Result<[LuaValue], LuaError>) -> WorkflowOutcome {
        switch result {
        case .success: return .succeeded
        case .failure(let error):
            switch error {
            case .cancelled: return .cancelled
            case .exit(let code, let message):
                return code == 0 ? .succeeded : .failed(code: nil, message: message ?? "exited with code \(code)")
            case .runtime(let message, _, let value):
                return .failed(code: value?["code"]?.stringValue, message: value?["message"]?.stringValue ?? message)
            case .host(let chorus as ChorusError, _):
                return .failed(code: chorus.code.rawValue, message: chorus.message)
            default:
                return .failed(code: nil, message: error.description)
            }
        }
    }

    // MARK: Hooks

    private func fireClosure(output: @escaping @Sendable (String) -> Void) -> @Sendable (String, LuaValue) async throws -> Void {
        { [self] hook, event in try await self.fire(hook, event: event, output: output) }
    }

    /// Runs the handlers of `hook` in every enabled plugin that registered one, each in a fresh state.
    /// A `deposit.before` handler that raises refuses the deposit (the error is thrown); a failure of
    /// any other hook is logged and the run goes on.
    public func fire(_ hook: String, event: LuaValue, output: @escaping @Sendable (String) -> Void) async throws {
        for record in catalogState.enabled {
            guard case .success(let declared) = await declarations(of: record.name), declared.hooks.contains(hook) else { continue }
            let result = await execute(record, mode: "hook", name: hook, payload: event, output: output, logger: options.logger, fire: nil)
            guard case .failure(let error) = result else { continue }
            if case .cancelled = error { throw error }
            if hook == "deposit.before" {
                throw LuaScriptError("the deposit was refused by plugin '\(record.name)' (deposit.before): \(error)", addsPosition: false)
            }
            options.logger.warning("plugin '\(record.name)' failed in its \(hook) hook: \(error)")
        }
    }

    // MARK: One state

    /// The largest entry file read (its modules are read by `require`, under the memory cap).
    static let maximumEntryBytes = 8 << 20

    private func openStore() throws(ChorusError) -> PluginStore {
        if let store { return store }
        let opened = try PluginStore(path: options.storePath)
        store = opened
        return opened
    }

    /// Loads `record`'s entry in a fresh state and runs `mode` (`load`, `command`, `workflow`, `hook`).
    private func execute(
        _ record: PluginRecord, mode: String, name: String, payload: LuaValue, output: @escaping @Sendable (String) -> Void,
        logger: Logger, fire: (@Sendable (String, LuaValue) async throws -> Void)?
    ) async -> Result<[LuaValue], LuaError> {
        guard let manifest = record.manifest else { return .failure(.script(path: record.folder.path, reason: "no manifest")) }
        let entryPath = record.folder.appendingPathComponent(manifest.entry).path
        let size = (try? FileManager.default.attributesOfItem(atPath: entryPath)[.size] as? Int) ?? 0
        guard size <= Self.maximumEntryBytes else {
            return .failure(.script(path: entryPath, reason: "is \(size) bytes, more than the \(Self.maximumEntryBytes) an entry file may have"))
        }
        guard let data = FileManager.default.contents(atPath: entryPath) else {
            return .failure(.script(path: entryPath, reason: "cannot be read"))
        }
        var runOptions = LuaRunOptions(
            namespace: ChorusModule.namespace, memoryLimit: options.memoryLimit,
            timeout: mode == "load" ? options.loadBudget : options.timeout,
            moduleRoot: record.folder.appendingPathComponent("lua").path, output: output, rawOutput: nil, logger: logger)
        runOptions.strictGlobals = false
        var context = options.context(record)
        context.operationGate = PluginLibrary.gate(plugin: record.name, permissions: manifest.permissions)
        var libraries = ChorusModule.libraries(context)
        if manifest.permissions.contains(.store) {
            do throws(ChorusError) {
                libraries.append(StoreBindings.library(store: try openStore(), plugin: record.name, namespace: ChorusModule.namespace))
            } catch {
                return .failure(.host(error, traceback: ""))
            }
        }
        let session = PluginLibrary.Session(
            plugin: record.name, entryChunk: "@\(record.name)/\(manifest.entry)", entrySource: [UInt8](data),
            permissions: manifest.permissions, fire: fire)
        libraries.append(PluginLibrary.library(session, namespace: ChorusModule.namespace))
        let runner: ScriptRunner
        do { runner = try ScriptRunner(options: runOptions, libraries: libraries) } catch { return .failure(error) }
        let canceller = runner.canceller
        if Task.isCancelled { return .failure(.cancelled) }
        return await withTaskCancellationHandler {
            do throws(LuaError) {
                return .success(try await runner.run(
                    source: PackageResources.plugin_main_lua, chunkName: "=(plugin host)",
                    arguments: [.string(mode), .string(name), payload]))
            } catch {
                return .failure(error)
            }
        } onCancel: {
            canceller.cancel()
        }
    }
}

/// Sends each log message, as one line `level: message`, to a closure (a workflow run's log).
struct LineLogHandler: LogHandler {
    let sink: @Sendable (String) -> Void
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        sink("\(event.level): \(event.message)")
    }
}
