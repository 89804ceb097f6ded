import ChorusAPI
import Foundation

/// The log excerpt of one run: the lines it wrote, redacted, keeping the last `budget` bytes (a run
/// that logs without end cannot grow its record without end). Lines are cut at 1000 characters.
final class RunLog: @unchecked Sendable {
    private let lock = NSLock()
    private let budget: Int
    private let redactor: Redactor
    private var lines: [String] = []
    private var bytes = 0
    private var dropped = 0

    init(budget: Int, redactor: Redactor) {
        self.budget = max(budget, 256)
        self.redactor = redactor
    }

    /// Adds a line (redacted here too: the runner redacts what it knows, the scheduler what it knows).
    func append(_ line: String) {
        var text = redactor.scrub(line)
        if text.count > 1000 { text = String(text.prefix(1000)) + "…" }
        lock.withLock {
            lines.append(text)
            bytes += text.utf8.count + 1
            while bytes > budget && lines.count > 1 {
                bytes -= lines.removeFirst().utf8.count + 1
                dropped += 1
            }
        }
    }

    /// The excerpt, with a first line saying how many lines were dropped, if any.
    var text: String {
        lock.withLock {
            let head = dropped > 0 ? ["… \(dropped) earlier line\(dropped == 1 ? "" : "s") not kept"] : []
            return (head + lines).joined(separator: "\n")
        }
    }
}
