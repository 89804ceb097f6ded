import Foundation

/// Credentials and folders of the CLI subprocess tests (the secrets are distinctive so a test can
/// prove they never reach an output).
enum Fixture {
    static let clientId = "0f1e2d3c-client-id"
    static let clientSecret = "S3CR3T-client-secret-value"
    static let login = "TECH_1_12345678200051@cpro.fr"
    static let password = "pässwörd-Secret-42"
    static var cproAccount: String { Data("\(login):\(password)".utf8).base64EncodedString() }

    /// A fresh private folder.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
