import Foundation
import LuaRuntime

/// Ctrl-C and SIGTERM during a session: Ctrl-C cancels the running chunk (at the prompt of a terminal
/// it is a key, handled by the editor; with piped input and nothing running it ends the session with
/// 130); SIGTERM ends the session.
final class ReplInterrupts: @unchecked Sendable {
    private let lock = NSLock()
    private var running: RunCanceller?
    private var pending = false
    private let exitWhenIdle: Bool
    private var terminal = termios()
    private var hasTerminal = false

    init(exitWhenIdle: Bool) {
        self.exitWhenIdle = exitWhenIdle
        hasTerminal = tcgetattr(STDIN_FILENO, &terminal) == 0
    }

    func start() {
        SignalPipe.shared.listen { [weak self] number in self?.received(number) }
        SignalPipe.install([SIGINT, SIGTERM])
    }

    func stop() {
        SignalPipe.restoreDefaults([SIGINT, SIGTERM])
    }

    /// Before reading a line: a Ctrl-C from before is forgotten.
    func willRead() { lock.withLock { pending = false } }

    /// Ctrl-C reached the editor as a key right after the line was entered: the chunk is cancelled as
    /// soon as it starts.
    func interruptedAfterLine() { lock.withLock { pending = true } }

    /// A chunk is about to start. False when a Ctrl-C came after its line was entered: the chunk is then
    /// not run (cancelling it here would not last: a run starts by clearing any earlier cancellation).
    func begin(_ canceller: RunCanceller) -> Bool {
        lock.withLock {
            if pending {
                pending = false
                return false
            }
            running = canceller
            return true
        }
    }
    func end() { lock.withLock { running = nil } }

    private func received(_ signalNumber: Int32) {
        let handled = lock.withLock { () -> Bool in
            guard signalNumber == SIGINT else { return false }
            guard let running else {
                pending = !exitWhenIdle
                return pending
            }
            running.cancel()
            return true
        }
        if handled || (signalNumber == SIGINT && !exitWhenIdle) { return }
        // SIGTERM, or Ctrl-C with nothing to stop on piped input: the terminal is left as found.
        if hasTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &terminal) }
        exit(ExitStatus.interrupted)
    }
}
