import Foundation

/// The deadline behind the deadline. The count hook stops a script politely, but some code never
/// reaches it: a `__gc` metamethod or an `xpcall` message handler (Lua runs both with hooks off), a
/// long loop inside a C function of the standard library (a catastrophic pattern in `string.find`).
/// This thread is outside Swift's task pool, so a pool blocked by such code cannot delay it: when
/// its deadline passes, it writes the message and ends the process with the given code.
final class Watchdog: @unchecked Sendable {
    /// How long after the run's deadline (or a Ctrl-C) the process is ended if the run has not.
    static let grace: Double = 1.5

    private let condition = NSCondition()
    private var deadline: (at: UInt64, message: String, code: Int32)?
    private var memoryCeiling: (bytes: Int, message: String, code: Int32)?
    /// How often the resident memory is sampled when a ceiling is set.
    private static let memoryPeriod = 0.02

    init() {
        // Strong: the thread outlives every reference the command holds, until the process exits.
        let thread = Thread { [self] in self.watch() }
        thread.name = "chorus watchdog"
        thread.stackSize = 64 << 10
        thread.start()
    }

    /// Ends the process `seconds` from now unless disarmed, writing `message` to stderr. An earlier
    /// deadline already armed is kept (with its own message and code).
    func arm(after seconds: Double, message: String, exitCode: Int32) {
        let nanoseconds = UInt64(min(max(seconds, 0), 1e9) * 1e9)
        let at = DispatchTime.now().uptimeNanoseconds &+ nanoseconds
        condition.lock()
        if deadline == nil || at < deadline!.at { deadline = (at, message, exitCode) }
        condition.signal()
        condition.unlock()
    }

    /// Replaces the armed deadline, whatever it was.
    func rearm(after seconds: Double, message: String, exitCode: Int32) {
        condition.lock()
        deadline = nil
        condition.unlock()
        arm(after: seconds, message: message, exitCode: exitCode)
    }

    /// Ends the process when its resident memory passes `bytes`: memory that Swift code allocates on
    /// a script's behalf outside Lua's count (a hostile archive being inflated) cannot grow forever.
    func limitMemory(to bytes: Int, message: String, exitCode: Int32) {
        condition.lock()
        memoryCeiling = (bytes, message, exitCode)
        condition.signal()
        condition.unlock()
    }

    /// The ceiling for a run capped at `limit` bytes: the cap, a quarter more for the allocator's
    /// own overhead, and what the process needs without any script (runtime, HTTP client, simulator).
    static func memoryCeiling(forLimit limit: Int) -> Int {
        limit + limit / 4 + (160 << 20)
    }

    private func watch() {
        condition.lock()
        while true {
            if let ceiling = memoryCeiling, Self.residentBytes() > ceiling.bytes {
                StandardError.write(ceiling.message)
                _exit(ceiling.code)
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if let current = deadline, now >= current.at {
                StandardError.write(current.message)
                _exit(current.code)
            }
            var wait = memoryCeiling == nil ? Double.infinity : Self.memoryPeriod
            if let current = deadline { wait = min(wait, Double(current.at - now) / 1e9) }
            if wait.isInfinite { condition.wait() } else { _ = condition.wait(until: Date(timeIntervalSinceNow: wait)) }
        }
    }

    /// Resident set size of this process (from /proc; 0 where unavailable).
    static func residentBytes() -> Int {
        guard let fd = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(fd) }
        var size = 0
        var resident = 0
        guard fscanf_statm(fd, &size, &resident) else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func fscanf_statm(_ file: UnsafeMutablePointer<FILE>, _ size: inout Int, _ resident: inout Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 128)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return false }
        let fields = String(cString: buffer).split(separator: " ")
        guard fields.count >= 2, let s = Int(fields[0]), let r = Int(fields[1]) else { return false }
        size = s
        resident = r
        return true
    }
}
