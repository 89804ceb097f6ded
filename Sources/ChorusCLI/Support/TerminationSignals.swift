import Foundation

/// SIGINT and SIGTERM while a command works: the first calls `onFirst` (the command stops politely),
/// the second exits at once with 130. `stop()` restores the default handling.
final class TerminationSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var raised = false

    /// Whether the first signal came.
    var received: Bool { lock.withLock { raised } }

    init(onFirst: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let again = self.lock.withLock {
                    defer { self.raised = true }
                    return self.raised
                }
                if again { exit(ExitStatus.interrupted) }
                onFirst()
            }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
