import ChorusAPI
import Foundation

extension DepositCandidate {
    /// Why a file to deposit could not be read.
    public enum FileProblem: Error, Sendable, Equatable {
        /// Nothing at that path.
        case missing
        /// A folder, a device, or a file this process may not read.
        case unreadable
        /// Larger than the platform accepts: the refusal of the rule file-too-large, as
        /// ``refusal(_:)`` writes it. The file was not read past the limit.
        case tooLarge(String)
    }

    /// The bytes of the regular file at `path`, deposited as `name`, read within the platform's size
    /// limit (``maximumBytes``): a larger file is refused by its size before it is read, and one that
    /// grows while it is read is refused once it passes the limit, so no file of any size can take more
    /// memory than the limit.
    public static func readFile(atPath path: String, name: String) -> Result<[UInt8], FileProblem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(errno == ENOENT ? .missing : .unreadable) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return .failure(.unreadable) }
        let tooLarge = { (size: Int) -> FileProblem in
            .tooLarge(refusal(InvoiceChecker.fileFindings(size: size, name: name)) ?? "'\(name)' is too large")
        }
        let announced = Int(status.st_size)
        guard announced <= maximumBytes else { return .failure(tooLarge(announced)) }
        // One byte of room past the limit tells a file that grew beyond it from one that stopped at it.
        let capacity = maximumBytes + 1
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: min(capacity, announced + 1)) { buffer, initialized in
            initialized = 0
            while initialized < buffer.count {
                let count = read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count < 0, errno == EINTR { continue }
                if count < 0 { failed = true; return }
                if count == 0 { return }
                initialized += count
            }
        }
        if failed { return .failure(.unreadable) }
        // The file grew after fstat: read the rest, still within the limit.
        if bytes.count == announced + 1 {
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while bytes.count <= maximumBytes {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, min($0.count, capacity - bytes.count)) }
                if count < 0, errno == EINTR { continue }
                if count < 0 { return .failure(.unreadable) }
                if count == 0 { break }
                bytes.append(contentsOf: chunk[..<count])
            }
        }
        guard bytes.count <= maximumBytes else { return .failure(tooLarge(bytes.count)) }
        return .success(bytes)
    }
}
