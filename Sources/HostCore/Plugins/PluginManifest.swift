import ChorusAPI
import Foundation
import JSONValue
import NameSuggestions

/// A plugin's `plugin.toml`, read without running any Lua.
///
/// ```toml
/// name = "invoice-sync"
/// version = "1.2.0"
/// description = "Deposits the invoices of an inbox folder and files them by outcome."
/// api = ">=1.0 <2.0"
/// entry = "main.lua"                      # the default
/// permissions = ["chorus.read", "chorus.write", "fs.write", "store"]
/// requires = ["csv-tools >=1.0"]
/// ```
public struct PluginManifest: Sendable, Equatable {
    public var name: String
    public var version: SemanticVersion
    public var description: String
    /// The host API levels the plugin works with.
    public var api: VersionRange
    /// The entry file, relative to the plugin's folder.
    public var entry: String
    public var permissions: Set<PluginPermission>
    public var requires: [Requirement]

    /// Another plugin this one needs, in a version range.
    public struct Requirement: Sendable, Equatable {
        public var name: String
        public var range: VersionRange
    }

    /// The keys a manifest may hold.
    public static let keys = ["name", "version", "description", "api", "entry", "permissions", "requires"]
    /// A manifest is a few lines; this bounds what is read from an untrusted folder.
    public static let maximumBytes = 64 * 1024

    /// True for a valid plugin name: 1 to 64 of `[a-z0-9_-]`, starting with a letter.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.unicodeScalars.count <= 64 else {
            return false
        }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// Reads `plugin.toml` in `folder` and checks it (the entry file must exist).
    public static func read(folder: URL) throws(ManifestError) -> PluginManifest {
        let file = folder.appendingPathComponent("plugin.toml")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .missing
        }
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw .unreadable }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maximumBytes + 1) else { throw .unreadable }
        if data.count > maximumBytes { throw .tooLarge(bytes: (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? data.count) }
        let manifest = try parse(document: read(Array(data)))
        if manifest.name != folder.lastPathComponent {
            throw .nameMismatch(name: manifest.name, folder: folder.lastPathComponent)
        }
        let entry = folder.appendingPathComponent(manifest.entry)
        guard FileManager.default.fileExists(atPath: entry.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .missingEntry(manifest.entry)
        }
        return manifest
    }

    /// Parses and checks the text of a manifest (everything but the folder's name and the entry's presence).
    public static func parse(_ text: String) throws(ManifestError) -> PluginManifest {
        try parse(document: read(Array(text.utf8)))
    }

    /// The manifest's TOML, read by the project's strict reader (within its budget; invalid UTF-8 is
    /// refused at its place).
    static func read(_ bytes: [UInt8]) throws(ManifestError) -> TOMLDocument {
        do throws(TOMLError) {
            return try TOMLReader.document(bytes)
        } catch {
            throw .invalidTOML(line: error.line, column: error.column, reason: error.reason)
        }
    }

    static let flat = "write every key at the top level"

    /// Checks a manifest read as TOML: every key at the top level, each known and of its type.
    static func parse(document: TOMLDocument) throws(ManifestError) -> PluginManifest {
        // A manifest is flat: a table is refused where it is written, whatever its name.
        for key in document.keys {
            switch key.form {
            case .header:
                throw .invalidTOML(
                    line: key.line, column: key.column,
                    reason: "tables ([\(key.path)]) are not part of a plugin manifest: \(Self.flat)")
            case .dottedKey:
                throw .invalidTOML(
                    line: key.line, column: key.column,
                    reason: "dotted keys (\(key.path)) are not part of a plugin manifest: \(Self.flat)")
            case .value:
                if case .object = document.value[key.name] {
                    throw .invalidTOML(
                        line: key.valueLine, column: key.valueColumn,
                        reason: "inline tables are not part of a plugin manifest")
                }
            }
        }
        let table = document.value.objectValue ?? [:]
        for key in table.keys.sorted() where !keys.contains(key) {
            throw .unknownKey(key, suggestion: Suggestions.closest(to: key, among: keys, limit: 1).first)
        }
        func string(_ key: String, required: Bool = true) throws(ManifestError) -> String? {
            guard let value = table[key] else {
                if required { throw .missingKey(key) }
                return nil
            }
            guard case .string(let text) = value else { throw .wrongType(key: key, expected: "a string") }
            return text
        }
        func strings(_ key: String) throws(ManifestError) -> [String] {
            guard let value = table[key] else { return [] }
            guard case .array(let items) = value else { throw .wrongType(key: key, expected: "an array of strings") }
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw .wrongType(key: key, expected: "an array of strings") }
                result.append(text)
            }
            return result
        }
        let name = try string("name")!
        guard isValidName(name) else { throw .invalidName(name) }
        let versionText = try string("version")!
        guard let version = SemanticVersion(versionText) else { throw .invalidVersion(versionText) }
        let description = try string("description")!
        guard !description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .emptyDescription }
        let apiText = try string("api")!
        let api: VersionRange
        do throws(VersionRange.ParseError) { api = try VersionRange(apiText) } catch {
            throw .invalidAPIRange(apiText, reason: error.description)
        }
        let entry = try string("entry", required: false) ?? "main.lua"
        let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
        guard entry.hasSuffix(".lua"), !entry.hasPrefix("/"), entry.utf8.count <= 256,
            parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") })
        else { throw .invalidEntry(entry) }
        var permissions = Set<PluginPermission>()
        for word in try strings("permissions") {
            guard let permission = PluginPermission(rawValue: word) else {
                let known = PluginPermission.allCases.map(\.rawValue)
                throw .unknownPermission(word, suggestion: Suggestions.closest(to: word, among: known, limit: 1).first)
            }
            permissions.insert(permission)
        }
        var requires: [Requirement] = []
        for item in try strings("requires") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            let other = String(trimmed.prefix { $0 != " " && $0 != "\t" })
            guard isValidName(other) else {
                throw .invalidRequirement(item, reason: "'\(other)' is not a plugin name")
            }
            let rest = trimmed.dropFirst(other.count).trimmingCharacters(in: .whitespaces)
            do throws(VersionRange.ParseError) {
                requires.append(Requirement(name: other, range: try VersionRange(rest.isEmpty ? "*" : rest)))
            } catch {
                throw .invalidRequirement(item, reason: error.description)
            }
            if other == name { throw .requiresItself }
        }
        return PluginManifest(
            name: name, version: version, description: description, api: api, entry: entry, permissions: permissions,
            requires: requires)
    }
}
