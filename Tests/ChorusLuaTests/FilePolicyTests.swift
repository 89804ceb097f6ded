import ChorusLua
import Foundation
import Testing

/// The run's folders, decided on the path the system will open: symlinks resolved first, then `..`.
@Suite struct FilePolicyTests {
    @Test func pathsAreJudgedWhereTheyReallyLead() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-policy-\(UUID().uuidString)")
        let allowed = base.appendingPathComponent("allowed"), outside = base.appendingPathComponent("outside/deep")
        try FileManager.default.createDirectory(at: allowed, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try Data("a".utf8).write(to: allowed.appendingPathComponent("in.xml"))
        try Data("b".utf8).write(to: outside.appendingPathComponent("secret.xml"))
        try Data("c".utf8).write(to: base.appendingPathComponent("outside/up.xml"))
        try FileManager.default.createSymbolicLink(at: allowed.appendingPathComponent("link"), withDestinationURL: outside)
        let policy = FilePolicy(roots: [allowed.path])
        let root = try #require(policy.allowed(allowed.path))
        #expect(policy.allowed(allowed.path + "/in.xml") == root + "/in.xml")
        // Through the link: outside the run's folders, whatever the path says.
        #expect(policy.allowed(allowed.path + "/link/secret.xml") == nil)
        // `..` after a link climbs from where the link leads (as open(2) does), not back into `allowed`.
        #expect(policy.allowed(allowed.path + "/link/../up.xml") == nil)
        #expect(policy.allowed(allowed.path + "/link/../../allowed/in.xml") == root + "/in.xml")
        // A file that does not exist yet: its folder decides.
        #expect(policy.allowed(allowed.path + "/new.xml", write: true) == root + "/new.xml")
        #expect(policy.allowed(allowed.path + "/link/new.xml", write: true) == nil)
    }
}
