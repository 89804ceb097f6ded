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
    /// Decides whether the run may perform an operation (a plugin's permissions): nil lets it, an
    /// error refuses it before any request. Checked by `chorus.call`, the domain functions and deposits.
    public var operationGate: (@Sendable (ChorusOperation) -> ChorusError?)?

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

/// Creates each client once, on first use, and hands the same one to every caller: the run's
/// default client, and one per other technical account a script asks for by name
/// (`chorus.as("recipient", fn)`: a seeded account of the simulator, or a profile of the configuration).
public actor ClientProvider {
    private let factory: @Sendable (String?) async throws(ChorusError) -> ChorusClient
    private var creations: [String: Task<Result<ChorusClient, ChorusError>, Never>] = [:]

    /// - Parameter factory: makes the default client (resolving the profile, starting the simulator...);
    ///   this provider offers no other account.
    public init(_ factory: @escaping @Sendable () async throws(ChorusError) -> ChorusClient) {
        self.factory = { (account: String?) async throws(ChorusError) -> ChorusClient in
            if let account { throw ClientProvider.noAccounts(account) }
            return try await factory()
        }
    }

    /// - Parameter accounts: makes the client of an account (nil: the run's default one).
    public init(accounts: @escaping @Sendable (String?) async throws(ChorusError) -> ChorusClient) {
        self.factory = accounts
    }

    /// A provider that always gives `client` (tests), and no other account.
    public init(client: ChorusClient) {
        self.factory = { (account: String?) async throws(ChorusError) -> ChorusClient in
            if let account { throw ClientProvider.noAccounts(account) }
            return client
        }
    }

    /// The client of `account` (nil: the run's default one); concurrent first callers share one creation.
    public func client(account: String? = nil) async throws(ChorusError) -> ChorusClient {
        let key = account ?? ""
        let creation: Task<Result<ChorusClient, ChorusError>, Never>
        if let existing = creations[key] {
            creation = existing
        } else {
            // Each account keeps its client for the run: a script naming accounts without end would
            // grow memory no Lua cap counts.
            guard creations.count < ClientProvider.maximumAccounts else {
                throw ChorusError(
                    code: .config, message: "a run may act as at most \(ClientProvider.maximumAccounts) accounts",
                    remediation: "Reuse the accounts already named (chorus.client{profile = ...} once per account).")
            }
            let factory = self.factory
            creation = Task {
                do throws(ChorusError) { return .success(try await factory(account)) } catch { return .failure(error) }
            }
            creations[key] = creation
        }
        return try await creation.value.get()
    }

    /// How many accounts (the default one included) a run may act as.
    public static let maximumAccounts = 32

    static func noAccounts(_ name: String) -> ChorusError {
        ChorusError(
            code: .config, message: "this host offers no account named '\(name)': it runs scripts with one account only",
            remediation: "Run the script with chorus run, which offers the simulator's seeded accounts and your profiles by name.")
    }
}

/// The files a run may use. Read and write: the script's folder and the `--allow-path` folders.
/// Read only: the working directory (writing there takes `--allow-path .`). Never, even inside
/// those: chorus's own configuration, cache, state and data folders (credentials, tokens), and
/// hidden files and folders (a name starting with `.`: `~/.ssh`, `~/.bashrc`, `.git`) below a root.
/// Symlinks are resolved before checking.
public struct FilePolicy: Sendable {
    /// Folders the run may read and write.
    public let roots: [String]
    /// Folders the run may only read.
    public let readOnlyRoots: [String]
    /// Files and folders never reachable, whatever the roots.
    public let denied: [String]

    public init(roots: [String], readOnlyRoots: [String] = [], denied: [String] = []) {
        self.roots = roots.map { FilePolicy.canonical($0) }
        self.readOnlyRoots = readOnlyRoots.map { FilePolicy.canonical($0) }
        self.denied = denied.map { FilePolicy.canonical($0) }
    }

    /// chorus's own files for `paths`: the configuration file and folder, the token cache, the
    /// state and data folders.
    public static func chorusFiles(_ paths: ChorusPaths) -> [String] {
        [paths.configFile.path, paths.configFile.deletingLastPathComponent().path, paths.cacheDirectory.path,
         paths.stateDirectory.path, paths.dataDirectory.path]
            .filter { $0 != "/" }
    }

    /// The absolute, symlink-free form of `path` (for a missing file, its resolved parent + name).
    static func canonical(_ path: String) -> String {
        // An existing path: realpath(3), which resolves it as open(2) will (symlinks first, then `..`),
        // in one call (Foundation's URL standardisation and symlink resolution cost about 7 % of a
        // deposit's client time).
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let parent = url.deletingLastPathComponent()
        if parent.path == url.path { return url.path }
        return URL(fileURLWithPath: canonical(parent.path)).appendingPathComponent(url.lastPathComponent).path
    }

    /// The canonical path if the run may read it (or write it, with `write`), or nil.
    public func allowed(_ path: String, write: Bool = false) -> String? {
        if case .success(let resolved) = check(path, write: write) { return resolved }
        return nil
    }

    /// The canonical path, or the message that says why the run may not use it.
    public func check(_ path: String, write: Bool) -> Result<String, FileRefusal> {
        let resolved = FilePolicy.canonical(path)
        if denied.contains(where: { FilePolicy.isInside(resolved, $0) }) {
            return .failure(FileRefusal(message: "'\(path)' is one of chorus's own files (configuration, credentials, token cache, state), which scripts never reach"))
        }
        let candidates = roots.map { ($0, true) } + readOnlyRoots.map { ($0, false) }
        let inside = candidates.filter { FilePolicy.isInside(resolved, $0.0) }
        // The innermost root decides: `--allow-path ./out` makes `out` writable in a read-only cwd.
        guard let (root, writable) = inside.max(by: { $0.0.count < $1.0.count }) else {
            return .failure(FileRefusal(message: refusal(path)))
        }
        let below = resolved.dropFirst(root.count).split(separator: "/")
        if below.contains(where: { $0.hasPrefix(".") }) {
            return .failure(FileRefusal(message: "'\(path)' is a hidden file or folder (a name starting with '.'), which scripts never reach; pass its folder itself with --allow-path to allow it"))
        }
        if write && !writable && !inside.contains(where: { $0.1 }) {
            return .failure(FileRefusal(message: "'\(path)' is in the working directory, which scripts may only read; to let this run write there, pass --allow-path ."))
        }
        return .success(resolved)
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// The message for a path outside every root.
    public func refusal(_ path: String) -> String {
        "'\(path)' is outside the folders this run may use (the script's folder and --allow-path folders read and write, the working directory read only)"
    }
}

/// Why a run may not use a path.
public struct FileRefusal: Error, Sendable {
    public let message: String
}
