import Foundation

/// SIGINT and SIGTERM while a command works: the first calls `onFirst` (the command stops politely),
/// the second exits at once with 130. `stop()` restores the default handling.
///
/// The signals come through `SignalPipe`, not libdispatch's signal sources (see there why).
final class TerminationSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    /// Whether the first signal came.
    var received: Bool { lock.withLock { raised } }

    init(onFirst: @escaping @Sendable () -> Void) {
        SignalPipe.shared.listen { [weak self] _ in
            guard let self else { return }
            let again = self.lock.withLock {
                defer { self.raised = true }
                return self.raised
            }
            if again { exit(ExitStatus.interrupted) }
            // On a thread of its own, so that a slow stop cannot hold back the second signal's exit.
            Thread.detachNewThread { onFirst() }
        }
        SignalPipe.install([SIGINT, SIGTERM])
    }

    func stop() {
        SignalPipe.restoreDefaults([SIGINT, SIGTERM])
    }
}
