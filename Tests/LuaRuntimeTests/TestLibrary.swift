import LuaRuntime
import Synchronization

/// A Swift error a host function raises, to check it travels through Lua unchanged.
struct LedgerFull: Error, CustomStringConvertible {
    let remaining: Int
    var description: String { "ledger full (\(remaining) slots left)" }
}

/// Host functions used only by tests: failing calls and I/O that records its concurrency.
final class TestProbe: Sendable {
    private let state = Mutex((current: 0, peak: 0, started: 0))
    var peak: Int { state.withLock { $0.peak } }
    var started: Int { state.withLock { $0.started } }

    var library: LuaLibrary {
        LuaLibrary(path: ["probe"], summary: "test probes", functions: [
            HostFunction("fail", FunctionDoc("Raises a Swift error.")) { _ in throw LedgerFull(remaining: 0) },
            HostFunction("fail_later", FunctionDoc("Fails after a pause.", yields: true)) { call in
                let seconds = try call.number(1)
                return call.startOperation {
                    try await Task.sleep(for: .seconds(seconds))
                    throw LedgerFull(remaining: 3)
                }
            },
            HostFunction("io", FunctionDoc("Waits like a request and counts how many run at once.", yields: true)) { [self] call in
                let seconds = try call.number(1)
                let value = try call.value(2)
                return call.startOperation(limited: true) { [self] in
                    state.withLock {
                        $0.current += 1
                        $0.started += 1
                        $0.peak = max($0.peak, $0.current)
                    }
                    defer { state.withLock { $0.current -= 1 } }
                    try await Task.sleep(for: .seconds(seconds))
                    return value
                }
            },
        ])
    }
}
