import Foundation

/// Runs the built `chorus` binary and measures what the hardening tests assert: how it ended (exit
/// code or signal), how long it took, and its peak resident memory. A run still alive after
/// `killAfter` seconds is killed with SIGKILL and reported as such, so a hang fails the test
/// instead of freezing the suite.
public struct MeasuredRun: Sendable {
    public var status: Int32
    /// The signal that ended the process, if one did (then `status` is meaningless).
    public var signal: Int32?
    public var stdout: String
    public var stderr: String
    /// Wall-clock seconds from start to exit.
    public var seconds: Double
    /// Peak resident set size (VmHWM), in bytes, as last sampled before the process exited.
    public var peakBytes: Int
    /// Whether the run had to be killed after `killAfter`.
    public var hung: Bool

    /// Runs `chorus ARGUMENTS` in `directory` with `environment` (nothing inherited), sampling its
    /// peak memory every 10 ms. With `interruptAfter`, sends SIGINT once that many seconds passed
    /// (and, with a marker, once stdout contains it); `seconds` then still counts from the start.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, killAfter: Double = 60,
        interruptAfter: Double? = nil, interruptOnceOutputContains marker: String? = nil
    ) async throws -> MeasuredRun {
        guard let binary = ChorusSubprocess.binary() else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the chorus binary is not built"])
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = environment
        if env["HOME"] == nil { env["HOME"] = directory?.path ?? NSTemporaryDirectory() }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let collector = OutputCollector()
        try process.run()
        let readers = DispatchGroup()
        collector.drain(out: out, err: err, into: readers)
        // Measured on a thread of its own, not in the test's task pool: a pool busy with other
        // tests must not delay the sampling, the kill or the clock.
        let measured: (seconds: Double, peak: Int, hung: Bool) = await withCheckedContinuation { continuation in
            let thread = Thread {
                let started = DispatchTime.now().uptimeNanoseconds
                let pid = process.processIdentifier
                var peak = 0
                var hung = false
                var interrupted = false
                func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
                while process.isRunning {
                    peak = max(peak, Self.residentPeak(of: pid))
                    if let interruptAfter, !interrupted, elapsed() >= interruptAfter,
                        marker.map({ collector.stdout.contains($0) }) ?? true
                    {
                        interrupted = true
                        kill(pid, SIGINT)
                    }
                    if elapsed() > killAfter {
                        hung = true
                        kill(pid, SIGKILL)
                        break
                    }
                    usleep(10_000)
                }
                process.waitUntilExit()
                let seconds = elapsed()
                _ = readers.wait(timeout: .now() + 10)
                continuation.resume(returning: (seconds, peak, hung))
            }
            thread.start()
        }
        let bySignal = process.terminationReason == .uncaughtSignal
        return MeasuredRun(
            status: process.terminationStatus, signal: bySignal ? process.terminationStatus : nil,
            stdout: collector.stdout, stderr: collector.stderr, seconds: measured.seconds, peakBytes: measured.peak,
            hung: measured.hung)
    }

    /// VmHWM of a live process, in bytes (0 when unreadable).
    static func residentPeak(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return digits * 1024
        }
        return 0
    }
}
