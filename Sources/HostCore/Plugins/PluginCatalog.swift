import Foundation

/// One plugin folder found on the search path, and whether it can be used.
public struct PluginRecord: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case enabled
        /// Listed but never loaded, with the reason (a manifest error, an API or requirement mismatch,
        /// a load that failed).
        case disabled(reason: String)
        /// Another plugin of the same name comes earlier on the path.
        case shadowed(by: String)
    }

    /// The plugin's name (its folder's name when the manifest is unreadable).
    public var name: String
    /// The plugin's folder.
    public var folder: URL
    /// The manifest, when it could be read.
    public var manifest: PluginManifest?
    public var state: State

    public var isEnabled: Bool { state == .enabled }
}

/// The plugins on a search path: each folder's manifest read (never any Lua), shadowing applied,
/// the host API level and `requires` checked. A broken plugin is listed as disabled; the others are
/// unaffected.
public struct PluginCatalog: Sendable {
    public let searchPath: PluginSearchPath
    /// Every plugin folder found, winners first in path order, then the shadowed ones.
    public private(set) var records: [PluginRecord]

    /// Folders looked at per search folder, at most (a plugin folder is not a data dump).
    public static let maximumFoldersPerDirectory = 1000

    public init(searchPath: PluginSearchPath, hostLevel: SemanticVersion = HostAPI.version) {
        self.searchPath = searchPath
        var winners: [PluginRecord] = []
        var shadowed: [PluginRecord] = []
        var byName: [String: String] = [:]
        for directory in searchPath.folders {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { !$0.hasPrefix(".") }.sorted().prefix(Self.maximumFoldersPerDirectory)
            for folderName in names {
                let folder = URL(fileURLWithPath: directory.path).appendingPathComponent(folderName)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
                else { continue }
                var record: PluginRecord
                do throws(ManifestError) {
                    let manifest = try PluginManifest.read(folder: folder)
                    record = PluginRecord(name: manifest.name, folder: folder, manifest: manifest, state: .enabled)
                } catch {
                    record = PluginRecord(name: folderName, folder: folder, manifest: nil, state: .disabled(reason: error.description))
                }
                if let winner = byName[record.name] {
                    record.state = .shadowed(by: winner)
                    shadowed.append(record)
                } else {
                    byName[record.name] = folder.path
                    winners.append(record)
                }
            }
        }
        records = Self.resolve(winners, hostLevel: hostLevel) + shadowed
    }

    /// Applies the API level and the requirements, until nothing changes (a plugin disabled for a
    /// requirement disables the plugins that require it).
    static func resolve(_ records: [PluginRecord], hostLevel: SemanticVersion) -> [PluginRecord] {
        var records = records
        for index in records.indices {
            guard records[index].isEnabled, let manifest = records[index].manifest else { continue }
            if !manifest.api.contains(hostLevel) {
                records[index].state = .disabled(
                    reason: "needs the plugin API '\(manifest.api)', and this chorus offers \(HostAPI.levelText)")
            }
        }
        var changed = true
        while changed {
            changed = false
            for index in records.indices {
                guard records[index].isEnabled, let manifest = records[index].manifest else { continue }
                for requirement in manifest.requires {
                    let text = "'\(requirement.name) \(requirement.range)'"
                    var reason: String?
                    if let other = records.first(where: { $0.name == requirement.name }) {
                        if let version = other.manifest?.version, !requirement.range.contains(version) {
                            reason = "requires \(text), but \(other.name) is \(version)"
                        } else if case .disabled = other.state {
                            reason = "requires \(text), which is disabled"
                        }
                    } else {
                        reason = "requires \(text), which is not installed"
                    }
                    if let reason {
                        records[index].state = .disabled(reason: reason)
                        changed = true
                        break
                    }
                }
            }
        }
        return records
    }

    /// The winning record of `name` (enabled or not), if any.
    public func record(named name: String) -> PluginRecord? {
        records.first { $0.name == name && { if case .shadowed = $0.state { return false } else { return true } }($0) }
    }

    /// The enabled plugins, in path order.
    public var enabled: [PluginRecord] { records.filter(\.isEnabled) }

    /// Marks a plugin disabled (its load failed), and those requiring it.
    public mutating func disable(_ name: String, reason: String) {
        guard let index = records.firstIndex(where: { $0.name == name && $0.isEnabled }) else { return }
        records[index].state = .disabled(reason: reason)
        let hostLevel = HostAPI.version
        let winners = records.filter { if case .shadowed = $0.state { return false } else { return true } }
        let shadowed = records.filter { if case .shadowed = $0.state { return true } else { return false } }
        records = Self.resolve(winners, hostLevel: hostLevel) + shadowed
    }
}
