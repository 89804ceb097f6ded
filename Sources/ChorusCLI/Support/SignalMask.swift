import Foundation
import LuaRuntime

/// A parent process (a test runner, a CI agent, a scheduler) may start us with SIGINT or SIGTERM
/// blocked; Ctrl-C and `kill` must still stop a run cleanly.
enum SignalMask {
    static func unblockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

enum StandardError {
    static func write(_ text: String) { StandardOutput.writeError(text) }
}
