import Crypto
import Foundation
import JSONValue

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tokens kept on disk between runs, so a scheduled script that runs every few minutes does not ask
/// PISTE for a new token each time. One file per (environment, token URL, client id, client secret),
/// mode 0600 in a 0700 directory; files readable by others are ignored. The key is a SHA-256 digest of
/// the credentials, so a changed secret never reuses a token the old one obtained: a wrong secret fails
/// at once instead of hiding behind the cache until the token expires.
public struct TokenDiskCache: Sendable {
    /// The directory, normally `$XDG_CACHE_HOME/chorus`.
    public let directory: URL

    /// Creates a value from its fields.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The digest that names and guards one cache entry.
    static func key(environment: String, tokenURL: URL, credentials: ApplicationCredentials) -> String {
        var hash = SHA256()
        for part in ["chorus-token-cache-v2", environment, tokenURL.absoluteString, credentials.clientId, credentials.clientSecret] {
            hash.update(data: Array(part.utf8))
            hash.update(data: [0])
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    func fileURL(environment: String, key: String) -> URL {
        directory.appendingPathComponent("token-\(environment)-\(key.prefix(16)).json")
    }

    /// The cached token, if a private, well-formed file exists for these exact credentials.
    func load(environment: String, tokenURL: URL, credentials: ApplicationCredentials) -> AccessToken? {
        let key = Self.key(environment: environment, tokenURL: tokenURL, credentials: credentials)
        let url = fileURL(environment: environment, key: key)
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & 0o077 == 0, info.st_uid == getuid() else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path),
            let json = try? JSONValue.parse(Array(data)),
            json["credentials_digest"]?.stringValue == key,
            let value = json["access_token"]?.stringValue,
            let issued = json["issued_at"]?.integerValue, let expires = json["expires_at"]?.integerValue
        else { return nil }
        return AccessToken(
            value: value, tokenType: json["token_type"]?.stringValue ?? "Bearer", scope: json["scope"]?.stringValue,
            issuedAt: Date(timeIntervalSince1970: Double(issued)),
            expiresAt: Date(timeIntervalSince1970: Double(expires)))
    }

    /// Writes the token atomically with mode 0600; failures are ignored (the cache is an optimisation).
    func store(_ token: AccessToken, environment: String, tokenURL: URL, credentials: ApplicationCredentials) {
        let key = Self.key(environment: environment, tokenURL: tokenURL, credentials: credentials)
        var members: [String: JSONValue] = [
            "client_id": .string(credentials.clientId), "token_url": .string(tokenURL.absoluteString),
            "credentials_digest": .string(key),
            "access_token": .string(token.value), "token_type": .string(token.tokenType),
            "issued_at": .integer(Int64(token.issuedAt.timeIntervalSince1970)),
            "expires_at": .integer(Int64(token.expiresAt.timeIntervalSince1970)),
        ]
        if let scope = token.scope { members["scope"] = .string(scope) }
        _ = PrivateFile.write(JSONValue.object(members).serializedBytes(), to: fileURL(environment: environment, key: key))
    }

    /// Deletes the cached token (after PISTE refused it).
    func remove(environment: String, tokenURL: URL, credentials: ApplicationCredentials) {
        let key = Self.key(environment: environment, tokenURL: tokenURL, credentials: credentials)
        try? FileManager.default.removeItem(at: fileURL(environment: environment, key: key))
    }
}

/// Writes files that hold secrets: parent directories 0700, the file created 0600 before any byte is
/// written (never chmod after the fact), then renamed into place.
enum PrivateFile {
    /// Returns false when the file could not be written.
    @discardableResult
    static func write(_ bytes: [UInt8], to url: URL, replace: Bool = true) -> Bool {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { return false }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        unlink(temporary.path)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { return false }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            written += n
        }
        close(fd)
        guard written == bytes.count else {
            unlink(temporary.path)
            return false
        }
        if !replace, FileManager.default.fileExists(atPath: url.path) {
            unlink(temporary.path)
            return false
        }
        guard rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            return false
        }
        return true
    }
}

/// `write(2)`, named apart from `PrivateFile.write`.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.write(fd, buffer, count)
    #else
        return Darwin.write(fd, buffer, count)
    #endif
}
