import Foundation
import JSONValue
import NameSuggestions

/// The TOML configuration file (docs/configuration.md), validated: unknown keys and ambiguous secrets are
/// refused, and a file holding a literal secret must be private (mode 0600).
public struct ConfigFile: Sendable {
    /// A value of a profile key.
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case string(String)
        case number(Double)
        case bool(Bool)

        public var description: String {
            switch self {
            case .string(let s): return s
            // Only integral values Int64 holds exactly are printed as integers (inf or 1e300 would trap).
            case .number(let d): return d.rounded() == d && abs(d) < 9.0e15 ? String(Int64(d)) : String(d)
            case .bool(let b): return String(b)
            }
        }
    }

    /// Path of the file.
    public let path: String
    /// `default_profile`, if set.
    public let defaultProfile: String?
    /// Profiles by name, each a map of key → value.
    public let profiles: [String: [String: Value]]

    /// Keys whose value can be given literally, from a file (`_file`) or from a variable (`_env`).
    public static let credentialKeys = ["client_id", "client_secret", "tech_login", "tech_password"]
    /// Keys that are secrets when given literally.
    public static let secretKeys: Set<String> = ["client_secret", "tech_password"]
    /// Every key a profile may hold.
    public static let profileKeys: Set<String> = Set(
        credentialKeys.flatMap { [$0, "\($0)_file", "\($0)_env"] }
            + [
                "env", "oauth_url", "api_url", "siret", "app_name", "allow_writes", "timeout", "rate_limit",
                "max_concurrency",
            ])

    /// Loads and validates the file at `url`; nil when it does not exist.
    public static func load(at url: URL) throws(ChorusError) -> ConfigFile? {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ChorusError(code: .config, message: "cannot read the configuration file \(path)")
        }
        let table: [String: JSONValue]
        do {
            table = try TOMLReader.parse([UInt8](data)).objectValue ?? [:]
        } catch {
            throw ChorusError(
                code: .config,
                message: "\(path) is not valid TOML: line \(error.line), column \(error.column): \(error.reason)")
        }
        var defaultProfile: String?
        var profiles: [String: [String: Value]] = [:]
        // Sorted, so that the first problem reported does not depend on hashing.
        for key in table.keys.sorted() {
            switch key {
            case "default_profile":
                guard let name = table[key]?.stringValue else {
                    throw ChorusError(code: .config, message: "default_profile in \(path) must be a string")
                }
                defaultProfile = name
            case "profiles":
                guard let section = table[key]?.objectValue else {
                    throw ChorusError(code: .config, message: "profiles in \(path) must be a table ([profiles.NAME])")
                }
                for name in section.keys.sorted() {
                    guard let profile = section[name]?.objectValue else {
                        throw ChorusError(code: .config, message: "profiles.\(name) in \(path) must be a table")
                    }
                    profiles[name] = try values(of: profile, name: name, path: path)
                }
            default:
                throw ChorusError(
                    code: .config,
                    message: "unknown key '\(key)' at the top of \(path); "
                        + "expected default_profile and [profiles.NAME] tables")
            }
        }
        let file = ConfigFile(path: path, defaultProfile: defaultProfile, profiles: profiles)
        try file.checkPermissions()
        return file
    }

    private static func values(
        of table: [String: JSONValue], name: String, path: String
    ) throws(ChorusError) -> [String: Value] {
        var result: [String: Value] = [:]
        for key in table.keys.sorted() {
            guard profileKeys.contains(key) else {
                var message = "unknown key '\(key)' in [profiles.\(name)] of \(path)"
                if let close = Suggestions.closest(to: key, among: Array(profileKeys), limit: 1).first {
                    message += "; did you mean '\(close)'?"
                }
                throw ChorusError(code: .config, message: message)
            }
            switch table[key] {
            case .string(let s): result[key] = .string(s)
            case .bool(let b): result[key] = .bool(b)
            case .integer(let i): result[key] = .number(Double(i))
            case .number(let d): result[key] = .number(d)
            default:
                throw ChorusError(
                    code: .config,
                    message: "\(key) in [profiles.\(name)] of \(path) must be a string, number or boolean")
            }
        }
        for key in credentialKeys {
            let forms = [key, "\(key)_file", "\(key)_env"].filter { result[$0] != nil }
            if forms.count > 1 {
                throw ChorusError(
                    code: .config,
                    message: "[profiles.\(name)] of \(path) sets \(forms.joined(separator: " and ")); "
                        + "keep only one way to give \(key)")
            }
        }
        return result
    }

    /// A literal secret in a file others can read is refused, with the command that fixes it.
    func checkPermissions() throws(ChorusError) {
        let literal = profiles.sorted { $0.key < $1.key }.lazy.compactMap { name, values in
            Self.secretKeys.sorted().first { values[$0] != nil }.map { (name, $0) }
        }.first
        guard let (profile, key) = literal else { return }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? Int
        else { return }
        if mode & 0o077 != 0 {
            throw ChorusError(
                code: .config,
                message: "\(path) holds a literal \(key) (in [profiles.\(profile)]) but other users can read it "
                    + "(mode \(String(format: "%04o", mode))); run: chmod 600 \(path)",
                remediation: "Or move the secret out of the file: \(key)_file = \"/run/secrets/...\" or "
                    + "\(key)_env = \"VARIABLE\".")
        }
    }
}
