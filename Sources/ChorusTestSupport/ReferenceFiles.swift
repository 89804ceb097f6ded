import Foundation
import JSONValue

/// The official Chorus Pro Swagger files, when a copy sits beside the clone (as in the project's
/// workspace and its CI) or where `CHORUS_REFERENCE_DIR` points. The project never needs them to
/// build or run; the tests that compare against them are disabled, with this reason, without them.
public enum ReferenceFiles {
    /// The folder holding `factures.swagger.json` and `structures.swagger.json`, if present.
    public static let folder: URL? = {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["CHORUS_REFERENCE_DIR"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        // This file is <package>/Sources/ChorusTestSupport/ReferenceFiles.swift; the workspace keeps
        // the reference folder next to the package, as shared/reference.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(package.deletingLastPathComponent().appendingPathComponent("shared/reference"))
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("factures.swagger.json").path)
        }
    }()

    /// Whether the Swagger files are available (the condition of the tests that need them).
    public static var available: Bool { folder != nil }

    /// Why a test that needs them is disabled.
    public static let absence =
        "the official Swagger files are not beside this clone (set CHORUS_REFERENCE_DIR to a folder holding factures.swagger.json)"

    /// The parsed Swagger document `name` (`factures.swagger.json`), or nil when absent or unreadable.
    public static func swagger(_ name: String) -> JSONValue? {
        guard let folder, let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
        else { return nil }
        return try? JSONValue.parse([UInt8](data))
    }
}
