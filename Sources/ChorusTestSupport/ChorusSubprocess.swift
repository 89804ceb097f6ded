import Foundation

/// Runs the built `chorus` binary as a subprocess with a controlled environment (nothing inherited),
/// for end-to-end tests of commands.
public enum ChorusSubprocess {
    /// What a run printed and returned.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The package root (the folder holding Package.swift), derived from this source file's path.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `chorus` executable beside the test bundle (same build folder), or `CHORUS_BINARY`.
    public static func binary() -> URL? {
        if let explicit = ProcessInfo.processInfo.environment["CHORUS_BINARY"] { return URL(fileURLWithPath: explicit) }
        var candidates: [URL] = []
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("chorus"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/chorus"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }
    }

    /// Runs `chorus ARGUMENTS` with exactly `environment`, feeding `stdin`, in `directory` (default:
    /// the current one), and waits without blocking the cooperative thread pool. `executable` runs
    /// another binary (an installed chorus) instead of the built one.
    public static func run(
        _ arguments: [String], environment: [String: String], stdin: String? = nil, directory: URL? = nil,
        executable: URL? = nil
    ) async throws -> Outcome {
        guard let binary = executable ?? binary() else {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "the chorus binary is not built; run `swift build --build-tests` first"
                ])
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let collector = OutputCollector()
        let readers = DispatchGroup()
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
                collector.drain(out: out, err: err, into: readers)
                if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
                try? input.fileHandleForWriting.close()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            readers.notify(queue: .global()) { done.resume() }
        }
        return Outcome(status: status, stdout: collector.stdout, stderr: collector.stderr)
    }
}
