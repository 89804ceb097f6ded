import ChorusAPI
import Foundation
import Testing

/// A rule's source is what a reader follows to check it: docs/check.md shows each rule's source as the rule
/// states it, and nothing we ship cites a document that is not part of the repository.
@Suite("Rule sources")
struct RuleSourcesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized

    /// The source column of docs/check.md's rule tables, by rule id.
    static func documentedSources() throws -> [String: String] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/check.md"), encoding: .utf8)
        var sources: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            // | `id` | severity | term | element | platform code | confidence | source |
            let cells = line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
            guard cells.count >= 7 else { continue }
            let id = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            sources[id] = cells[6...].joined(separator: " | ")
        }
        return sources
    }

    @Test func docsCheckShowsEveryRuleWithItsSource() throws {
        let documented = try Self.documentedSources()
        for rule in CheckRules.all {
            #expect(documented[rule.id] == rule.source, "docs/check.md, \(rule.id): its source as the rule states it")
        }
        let extra = Set(documented.keys).subtracting(CheckRules.all.map(\.id))
        #expect(extra.isEmpty, "docs/check.md rows naming no rule: \(extra)")
    }

    /// Documents a user cannot follow: the project's internal API reference and design notes, and the folder
    /// they live in next to the repository. Spelled in pieces so this file does not match itself.
    static let unfollowable = ["chorus-api" + ".md", "DESIGN" + ".md", "../" + "shared"]

    /// Every file under these paths, and README.md itself (binary files included: a name can hide in a
    /// PDF's metadata).
    static func shippedFiles() -> [URL] {
        ["Sources", "docs", "examples", "scripts", "README.md"].flatMap { path -> [URL] in
            let url = root.appendingPathComponent(path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return [] }
            guard isFolder.boolValue else { return [url] }
            let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
            return (walker?.allObjects ?? []).compactMap { $0 as? URL }
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        }
    }

    @Test func nothingShippedCitesAnInternalDocument() throws {
        let files = Self.shippedFiles()
        #expect(files.count > 100, "the walk found only \(files.count) files under \(Self.root.path)")
        #expect(files.contains { $0.lastPathComponent == "README.md" && $0.deletingLastPathComponent() == Self.root })
        for file in files {
            let bytes = try Data(contentsOf: file)
            let name = file.path.replacingOccurrences(of: Self.root.path + "/", with: "")
            for needle in Self.unfollowable {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(name) cites \(needle): cite the public source")
            }
        }
    }
}
