/// The seam between the plugins and the scheduler: plugins declare workflows and know how to run
/// one (a fresh Lua state each time); the scheduler decides when, records each run, keeps runs of
/// one workflow from overlapping and retries what is worth retrying. Tests drive the scheduler with
/// their own `WorkflowRunner`.

/// When a workflow runs, as its plugin declared it.
public enum WorkflowTiming: Sendable, Equatable {
    /// A 5-field cron expression, or a macro such as `@hourly`, read in the workflow's time zone.
    case cron(String)
    /// A fixed interval, in seconds (`every = "10m"` is 600).
    case every(seconds: Int)
}

/// A workflow declared by a plugin with `chorus.workflow{...}`, as the scheduler sees it.
public struct WorkflowDeclaration: Sendable, Equatable {
    /// The plugin that declared it.
    public var plugin: String
    /// Its name within the plugin.
    public var name: String
    public var timing: WorkflowTiming
    /// An IANA time zone name (`Europe/Paris` when the plugin names none).
    public var timeZone: String

    public init(plugin: String, name: String, timing: WorkflowTiming, timeZone: String = "Europe/Paris") {
        self.plugin = plugin
        self.name = name
        self.timing = timing
        self.timeZone = timeZone
    }

    /// `plugin:name`: how `chorus schedule once` and the run records name it.
    public var id: String { "\(plugin):\(name)" }
}

/// How one run of a workflow ended.
public enum WorkflowOutcome: Sendable, Equatable {
    case succeeded
    /// The run failed. `code` is the `chorus.Error` code it ended on (`NETWORK`, `SERVER` and
    /// `RATE_LIMITED` are retried with backoff; business errors never are), nil for a script error.
    case failed(code: String?, message: String)
    /// Cancelled: by shutdown past its grace, or by the user.
    case cancelled
}

/// Lists and runs workflows. The plugin host implements it; so do tests.
public protocol WorkflowRunner: Sendable {
    /// The workflows of every enabled plugin.
    func declarations() async throws -> [WorkflowDeclaration]
    /// Runs one workflow once and says how it ended. `log` receives each line the run writes
    /// (`print`, `chorus.log`), already redacted, for the run record's excerpt. Honours task
    /// cancellation: a cancelled task ends the run and answers `.cancelled`.
    func run(_ workflow: WorkflowDeclaration, log: @escaping @Sendable (String) -> Void) async -> WorkflowOutcome
}
