import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `chorus` subprocess the test talks to while it runs: it reads its output as it comes, sends it
/// signals, and waits for its end (killing it with SIGKILL past a generous deadline, so a hang fails
/// the test instead of freezing the suite).
public final class ChorusProcess: @unchecked Sendable {
    /// How a process ended.
    public struct Ending: Sendable {
        /// The exit code (meaningless when `signal` is set).
        public var status: Int32
        /// The signal that ended it, if one did.
        public var signal: Int32?
        /// Whether it had to be killed after the deadline.
        public var hung: Bool
    }

    private let process = Process()
    private let collector = OutputCollector()
    private let readers = DispatchGroup()

    /// Starts `chorus ARGUMENTS` with exactly `environment` (nothing inherited), in `directory`.
    public init(_ arguments: [String], environment: [String: String], directory: URL? = nil) throws {
        guard let binary = ChorusSubprocess.binary() else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the chorus binary is not built"])
        }
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        collector.drain(out: out, err: err, into: readers)
    }

    /// What it printed so far.
    public var stdout: String { collector.stdout }
    /// What it printed on stderr so far.
    public var stderr: String { collector.stderr }
    /// Its process id.
    public var pid: Int32 { process.processIdentifier }
    /// Whether it still runs.
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGINT, SIGTERM, SIGKILL...).
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Sends `signal` once `condition` holds, checking every 20 ms on a thread of its own (a test pool
    /// busy with other tests cannot delay it); gives up when the process ends or after `deadline` seconds.
    /// - Returns: whether the signal was sent to the running process.
    public func send(_ signal: Int32, when condition: @escaping @Sendable () -> Bool, deadline: Double = 60) async
        -> Bool
    {
        await withCheckedContinuation { continuation in
            Thread { [process] in
                let until = Date().addingTimeInterval(deadline)
                var sent = false
                while process.isRunning && Date() < until {
                    if condition() {
                        sent = process.isRunning && kill(process.processIdentifier, signal) == 0
                        break
                    }
                    usleep(20_000)
                }
                continuation.resume(returning: sent)
            }.start()
        }
    }

    /// Waits for the process to end, on a thread of its own; past `deadline` seconds it is killed.
    public func wait(deadline: Double = 120) async -> Ending {
        await withCheckedContinuation { continuation in
            Thread { [process, readers] in
                let until = Date().addingTimeInterval(deadline)
                var hung = false
                while process.isRunning {
                    if Date() > until {
                        hung = true
                        kill(process.processIdentifier, SIGKILL)
                        break
                    }
                    usleep(10_000)
                }
                process.waitUntilExit()
                _ = readers.wait(timeout: .now() + 10)
                let bySignal = process.terminationReason == .uncaughtSignal
                continuation.resume(
                    returning: Ending(
                        status: process.terminationStatus, signal: bySignal ? process.terminationStatus : nil,
                        hung: hung))
            }.start()
        }
    }

    /// Waits until `condition` holds, checking every 50 ms, for at most `deadline` seconds.
    /// - Returns: whether it held (false: the deadline passed; the test then fails on its own terms).
    public static func eventually(deadline: Double = 60, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let until = Date().addingTimeInterval(deadline)
        while Date() < until {
            if try await condition() { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return try await condition()
    }
}

/// `chorus sim` in a process of its own, on a free port, with its seed credentials: the environment
/// a `chorus` subprocess needs to reach it (env custom), and its control API (request log, state).
public final class SimulatorProcess: @unchecked Sendable {
    /// The running `chorus sim`.
    public let process: ChorusProcess
    /// Its port on 127.0.0.1.
    public let port: Int

    /// Starts `chorus sim --port 0` with `arguments` (`--state FILE`, `--scenario FILE`...) and waits for
    /// its banner.
    public init(_ arguments: [String] = [], home: URL) async throws {
        process = try ChorusProcess(["sim", "--port", "0"] + arguments, environment: ["HOME": home.path])
        let process = self.process
        _ = await ChorusProcess.eventually { process.stdout.contains("Press Ctrl-C to stop.") || !process.isRunning }
        let port = process.stdout.split(separator: "\n").first.flatMap { line in
            line.split(separator: " ").first { $0.hasPrefix("http://127.0.0.1:") }
        }.flatMap { Int($0.split(separator: ":").last ?? "") }
        guard let port else {
            process.send(SIGKILL)
            throw CocoaError(
                .fileReadUnknown,
                userInfo: [NSLocalizedDescriptionKey: "chorus sim did not start: \(process.stdout) \(process.stderr)"])
        }
        self.port = port
    }

    /// The variables that point `chorus` at this simulator with its seeded supplier account.
    public var environment: [String: String] {
        [
            "CHORUS_OAUTH_URL": "http://127.0.0.1:\(port)/api/oauth/token",
            "CHORUS_API_URL": "http://127.0.0.1:\(port)",
            "CHORUS_CLIENT_ID": "5f0c2a3e-5e6b-4c1a-9d7e-0000000051a1",
            "CHORUS_CLIENT_SECRET": "sim-secret-0f9c4b7e2d",
            "CHORUS_TECH_LOGIN": "TECH_1_98765432100015@cpro.fr",
            "CHORUS_TECH_PASSWORD": "Fournisseur-Alpha-2026!",
        ]
    }

    /// GET on the control API, blocking (for conditions checked on a thread of their own); nil on failure.
    public func controlNow(_ path: String) -> Data? {
        try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    }

    /// GET on the control API.
    public func control(_ path: String) async throws -> Data {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return data
    }

    /// Stops it.
    public func stop() async {
        process.send(SIGTERM)
        _ = await process.wait(deadline: 10)
    }
}
