import Foundation

/// Credentials the tests use: distinctive strings, so a grep of any output finds a leak.
public enum TestCredentials {
    public static let clientId = "0f1e2d3c-client-id"
    public static let clientSecret = "S3CR3T-client-secret-value"
    public static let login = "TECH_1_12345678200051@cpro.fr"
    public static let password = "pässwörd-Secret-42"
    /// The `cpro-account` header these credentials make.
    public static var cproAccount: String { Data("\(login):\(password)".utf8).base64EncodedString() }

    /// A fresh private temporary folder; the caller removes it.
    public static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
