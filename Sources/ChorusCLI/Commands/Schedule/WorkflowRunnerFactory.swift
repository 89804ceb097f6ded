import ChorusAPI
import HostCore

/// The one place the schedule commands get their workflows from: the plugin host (plugin discovery,
/// `chorus.workflow{...}` registrations, a fresh Lua state per run; docs/plugins.md), over the
/// plugins on the search path with `pluginDirs` first.
func workflowRunner(global: GlobalOptions, pluginDirs: [String]) throws(ChorusError) -> any WorkflowRunner {
    global.pluginHost(pluginDirs: pluginDirs)
}
