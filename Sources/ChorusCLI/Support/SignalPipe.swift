import Foundation

/// The write end of the pipe, for the handler: set before any handler is installed, never changed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// The process's one self-pipe and the thread that reads it: signals reach Swift code as calls on
/// that thread, with the signal's number.
///
/// A real `sigaction` handler writes the number to the pipe. libdispatch's signal sources were used
/// before; on Linux a signal that reaches a thread before the source is armed on libdispatch's manager
/// thread is lost (the disposition is SIG_IGN meanwhile), and under load a `kill` sent right after
/// start-up was ignored (`chorus schedule run`, 1 time in 15). A handler is process-wide at once,
/// whichever thread the kernel picks, and doing nothing but `write` it is async-signal-safe.
final class SignalPipe: @unchecked Sendable {
    static let shared = SignalPipe()

    private let lock = NSLock()
    private var handler: (@Sendable (Int32) -> Void)?

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

    /// Who hears the next signals, given each one's number (nil: nobody).
    func listen(_ handler: (@Sendable (Int32) -> Void)?) {
        lock.withLock { self.handler = handler }
    }

    /// Routes these signals to the pipe (and so to the listener).
    static func install(_ signalNumbers: [Int32]) {
        _ = shared
        for signalNumber in signalNumbers {
            var action = sigaction()
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            #if os(Linux)
                action.__sigaction_handler.sa_handler = { number in
                    var byte = UInt8(truncatingIfNeeded: number)
                    _ = write(signalPipeWriteEnd, &byte, 1)
                }
            #else
                action.__sigaction_u.__sa_handler = { number in
                    var byte = UInt8(truncatingIfNeeded: number)
                    _ = write(signalPipeWriteEnd, &byte, 1)
                }
            #endif
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Gives these signals their default disposition back and stops listening.
    static func restoreDefaults(_ signalNumbers: [Int32]) {
        for signalNumber in signalNumbers { signal(signalNumber, SIG_DFL) }
        shared.listen(nil)
    }

    private func read(from fd: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = Foundation.read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            if let handler = lock.withLock({ self.handler }) { handler(Int32(byte)) }
        }
    }
}
