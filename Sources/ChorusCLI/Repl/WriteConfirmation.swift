import ChorusAPI
import Foundation
import LuaRuntime

/// The REPL's answer to a write in production (`ClientConfiguration.confirmWrite`): on a terminal,
/// the user is asked, one write at a time; otherwise the write is refused, unless `--yes`.
actor WriteConfirmation {
    let interactive: Bool
    let assumeYes: Bool

    init(interactive: Bool, assumeYes: Bool) {
        self.interactive = interactive
        self.assumeYes = assumeYes
    }

    /// Whether `operation` may go. Ctrl-C while asking cancels the chunk, and the answer is no.
    func ask(_ operation: ChorusOperation) async -> Bool {
        if assumeYes {
            StandardOutput.writeError("chorus: \(operation.qualifiedName) in PRODUCTION, confirmed by --yes\n")
            return true
        }
        guard interactive else {
            StandardOutput.writeError(
                "chorus: \(operation.qualifiedName) changes data in PRODUCTION; stdin is not a terminal, so it is refused (pass --yes to confirm writes)\n"
            )
            return false
        }
        StandardOutput.writeError(
            "\u{1B}[31mchorus: \(operation.qualifiedName) changes data in PRODUCTION.\u{1B}[0m Send it? [y/N] ")
        guard let answer = await Self.readAnswer() else { return false }
        let yes = ["y", "yes", "o", "oui"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
        if !yes { StandardOutput.writeError("chorus: not sent\n") }
        return yes
    }

    /// One line from stdin, polled so that cancelling the task (Ctrl-C) ends the wait; nil if cancelled
    /// or at the end of the input.
    private static func readAnswer() async -> String? {
        var bytes: [UInt8] = []
        while !Task.isCancelled {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 0)
            if ready < 0 && errno != EINTR { return nil }
            if ready <= 0 {
                try? await Task.sleep(nanoseconds: 50_000_000)
                continue
            }
            var byte: UInt8 = 0
            let n = read(STDIN_FILENO, &byte, 1)
            if n <= 0 { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            if bytes.count < 100 { bytes.append(byte) }
        }
        StandardOutput.writeError("\n")
        return nil
    }
}
