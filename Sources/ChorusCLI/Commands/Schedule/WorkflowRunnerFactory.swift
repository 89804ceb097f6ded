import ChorusAPI
import HostCore

/// The one place the schedule commands get their workflows from. The plugin host (plugin discovery,
/// `chorus.workflow{...}` registrations, a fresh Lua state per run) implements `WorkflowRunner`; this
/// function is where it is plugged in.
///
/// Until then it returns `NoWorkflows`: `chorus schedule list` shows none, `chorus schedule run`
/// idles until stopped, `chorus schedule once NAME` finds nothing to run.
func workflowRunner(global: GlobalOptions, pluginDirs: [String]) throws(ChorusError) -> any WorkflowRunner {
    NoWorkflows()
}

/// A runner with no workflows (this build has no plugin host wired to the scheduler).
struct NoWorkflows: WorkflowRunner {
    func declarations() async throws -> [WorkflowDeclaration] { [] }

    func run(_ workflow: WorkflowDeclaration, log: @escaping @Sendable (String) -> Void) async -> WorkflowOutcome {
        .failed(code: nil, message: "no plugin host: \(workflow.id) cannot run")
    }
}
