import ChorusAPI
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

    public init(clients: ClientProvider, files: FilePolicy, doctor: (@Sendable (DoctorOptions) async -> DoctorReport)? = nil) {
        self.clients = clients
        self.files = files
        self.doctor = doctor
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
        let url = URL(fileURLWithPath: path).standardizedFileURL
        if FileManager.default.fileExists(atPath: url.path) { return url.resolvingSymlinksInPath().path }
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
