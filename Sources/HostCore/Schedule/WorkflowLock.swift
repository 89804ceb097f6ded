import ChorusAPI
import Foundation

/// The lock that keeps two runs of one workflow from overlapping: an exclusive `flock` on
/// `<directory>/<plugin:name>.lock`. It holds between schedulers in one process and between
/// processes on one machine (two `chorus schedule run`, or `chorus schedule once` beside a daemon),
/// and the kernel releases it when its holder dies, so a crash never leaves a workflow locked.
public final class WorkflowLock: @unchecked Sendable {
    private let lock = NSLock()
    private var descriptor: Int32
    /// The lock file.
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Takes the lock of `workflow` without waiting.
    /// - Returns: the lock, or nil when another run holds it.
    /// - Throws: a `CONFIG` `ChorusError` when the lock file cannot be created.
    public static func acquire(workflow: String, in directory: URL) throws(ChorusError) -> WorkflowLock? {
        let path = directory.appendingPathComponent(fileName(for: workflow)).path
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ChorusError(
                code: .config, message: "cannot create the scheduler's lock folder \(directory.path): \(error)",
                remediation: "Check that the state folder ($XDG_STATE_HOME/chorus) is writable.")
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ChorusError(
                code: .config, message: "cannot open the lock file \(path): \(String(cString: strerror(errno)))",
                remediation: "Check that the state folder ($XDG_STATE_HOME/chorus) is writable.")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        // Who holds it, for the message another process shows.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return WorkflowLock(descriptor: descriptor, path: path)
    }

    /// The process id written by the holder of `workflow`'s lock, if any.
    public static func holder(workflow: String, in directory: URL) -> Int32? {
        let path = directory.appendingPathComponent(fileName(for: workflow)).path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `plugin:name` as a file name: bytes outside `[A-Za-z0-9._:-]` are written `%XX`.
    static func fileName(for workflow: String) -> String {
        var name = ""
        for byte in workflow.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
                UInt8(ascii: "-"):
                name.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                name += String(format: "%%%02X", byte)
            }
        }
        if name.hasPrefix(".") { name = "%2E" + name.dropFirst() }
        return name + ".lock"
    }

    /// Releases the lock (also done when the lock is deallocated).
    public func release() {
        lock.withLock {
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { release() }
}
