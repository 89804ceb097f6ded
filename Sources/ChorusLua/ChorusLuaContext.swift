import ChorusAPI
import ChorusLedger
import Foundation
import Logging

/// Everything the `chorus` module needs from its host: how to get a client (created on first use,
/// so scripts that never call Chorus Pro need no credentials), and which folders `chorus.fs` may touch.
public struct ChorusLuaContext: Sendable {
    /// Gives the run's one client.
    public let clients: ClientProvider
    /// Folders scripts may read and write (`chorus.fs`, `deposit{file=...}`).
    public let files: FilePolicy
    /// Runs the doctor for this run's settings (`chorus.doctor`); nil when the host has none.
    public let doctor: (@Sendable (DoctorOptions) async -> DoctorReport)?
    /// The deposit ledger `chorus.invoices.deposit` goes through (docs/ledger.md); in memory unless the
    /// host gives one kept on disk.
    public let ledgers: LedgerProvider

    public init(
        clients: ClientProvider, files: FilePolicy, doctor: (@Sendable (DoctorOptions) async -> DoctorReport)? = nil,
        ledgers: LedgerProvider = .inMemory()
    ) {
        self.clients = clients
        self.files = files
        self.doctor = doctor
        self.ledgers = ledgers
    }
}

/// Creates the client once, on first use, and hands the same one to every caller.
public actor ClientProvider {
    private let factory: @Sendable () async throws(ChorusError) -> ChorusClient
    private var creation: Task<Result<ChorusClient, ChorusError>, Never>?

    /// - Parameter factory: makes the client (resolving the profile, starting the simulator...).
    public init(_ factory: @escaping @Sendable () async throws(ChorusError) -> ChorusClient) {
        self.factory = factory
    }

    /// A provider that always gives `client` (tests).
    public init(client: ChorusClient) {
        self.factory = { client }
    }

    /// The run's client; concurrent first callers share one creation.
    public func client() async throws(ChorusError) -> ChorusClient {
        if creation == nil {
            let factory = self.factory
            creation = Task {
                do throws(ChorusError) { return .success(try await factory()) } catch { return .failure(error) }
            }
        }
        return try await creation!.value.get()
    }
}

/// The folders a run may read and write: the script's folder, the working directory, and the
/// paths given with `--allow-path`. Symlinks are resolved before checking.
public struct FilePolicy: Sendable {
    public let roots: [String]

    public init(roots: [String]) {
        self.roots = roots.map { FilePolicy.canonical($0) }
    }

    /// The absolute, symlink-free form of `path` (for a missing file, its resolved parent + name).
    static func canonical(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        if FileManager.default.fileExists(atPath: url.path) { return url.resolvingSymlinksInPath().path }
        let parent = url.deletingLastPathComponent()
        if parent.path == url.path { return url.path }
        return URL(fileURLWithPath: canonical(parent.path)).appendingPathComponent(url.lastPathComponent).path
    }

    /// The canonical path if the run may use it, or nil.
    public func allowed(_ path: String) -> String? {
        let resolved = FilePolicy.canonical(path)
        for root in roots where resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
            return resolved
        }
        return nil
    }

    /// The message for a refused path.
    public func refusal(_ path: String) -> String {
        "'\(path)' is outside the folders this run may use (the script's folder, the working directory, and --allow-path folders)"
    }
}
