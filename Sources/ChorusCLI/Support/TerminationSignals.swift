import Foundation

/// SIGINT and SIGTERM while a command works: the first calls `onFirst` (the command stops politely),
/// the second exits at once with 130. `stop()` restores the default handling.
///
/// A real `sigaction` handler that writes the signal's number to a pipe, read by a thread of our own.
/// libdispatch's signal sources were used before; on Linux a signal that reaches a thread before the
/// source is armed on libdispatch's manager thread is lost (the disposition is SIG_IGN meanwhile), and
/// under load a `kill` sent right after start-up was ignored. A handler is process-wide at once,
/// whichever thread the kernel picks, and doing nothing but `write` it is async-signal-safe.
final class TerminationSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    /// Whether the first signal came.
    var received: Bool { lock.withLock { raised } }

    init(onFirst: @escaping @Sendable () -> Void) {
        SignalPipe.shared.listen { [weak self] in
            guard let self else { return }
            let again = self.lock.withLock {
                defer { self.raised = true }
                return self.raised
            }
            if again { exit(ExitStatus.interrupted) }
            // On a thread of its own, so that a slow stop cannot hold back the second signal's exit.
            Thread.detachNewThread { onFirst() }
        }
        for signalNumber in [SIGINT, SIGTERM] { SignalPipe.install(signalNumber) }
    }

    func stop() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        SignalPipe.shared.listen(nil)
    }
}

/// The write end of the pipe, for the handler: set before any handler is installed, never changed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// The process's one self-pipe and the thread that reads it.
private final class SignalPipe: @unchecked Sendable {
    static let shared = SignalPipe()

    private let lock = NSLock()
    private var handler: (@Sendable () -> Void)?

    private init() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // The handler must never block: a full pipe (signals nobody reads yet) drops the byte.
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        signalPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        let thread = Thread { [self] in self.read(from: readEnd) }
        thread.name = "chorus signals"
        thread.stackSize = 64 << 10
        thread.start()
    }

    /// Who hears the next signals (nil: nobody; the default disposition is back by then).
    func listen(_ handler: (@Sendable () -> Void)?) {
        lock.withLock { self.handler = handler }
    }

    /// Routes `signalNumber` to the pipe.
    static func install(_ signalNumber: Int32) {
        _ = shared
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        #if os(Linux)
            action.__sigaction_handler.sa_handler = { _ in
                var byte: UInt8 = 1
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        #else
            action.__sigaction_u.__sa_handler = { _ in
                var byte: UInt8 = 1
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        #endif
        sigaction(signalNumber, &action, nil)
    }

    private func read(from fd: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = Foundation.read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            if let handler = lock.withLock({ self.handler }) { handler() }
        }
    }
}
