import Foundation
import HostCore
import Testing

/// The search path, shadowing, the API level and requirements: a broken plugin is listed as disabled
/// with its reason and never breaks the others.
@Suite struct PluginCatalogTests {
    @Test func theSearchPathIsInOrder() {
        let path = PluginSearchPath.standard(
            flags: ["a", "/abs/b"], environment: ["CHORUS_PLUGIN_PATH": "/env/c:/env/d", "XDG_DATA_HOME": "/data", "HOME": "/home/u"],
            workingDirectory: "/srv/project")
        #expect(path.folders == [
            .init(path: "/srv/project/a", source: "--plugin-dir"), .init(path: "/abs/b", source: "--plugin-dir"),
            .init(path: "/env/c", source: "CHORUS_PLUGIN_PATH"), .init(path: "/env/d", source: "CHORUS_PLUGIN_PATH"),
            .init(path: "/srv/project/plugins", source: "./plugins"), .init(path: "/data/chorus/plugins", source: "XDG_DATA_HOME"),
            .init(path: "/usr/share/chorus/plugins", source: "system"),
        ])
        let home = PluginSearchPath.standard(flags: [], environment: ["HOME": "/home/u"], workingDirectory: "/srv/project")
        #expect(home.folders.map(\.path) == ["/srv/project/plugins", "/home/u/.local/share/chorus/plugins", "/usr/share/chorus/plugins"])
    }

    @Test func theFirstPluginOfANameWinsAndTheOthersAreShadowed() {
        let fixture = PluginFixture()
        let second = fixture.root.appendingPathComponent("second")
        fixture.write("tools", manifest: PluginFixture.manifest("tools"))
        fixture.write("tools", manifest: PluginFixture.manifest("tools").replacingOccurrences(of: "1.0.0", with: "2.0.0"), in: second)
        fixture.write("extra", manifest: PluginFixture.manifest("extra"), in: second)
        let catalog = PluginCatalog(searchPath: PluginSearchPath(folders: [
            .init(path: fixture.plugins.path, source: "--plugin-dir"), .init(path: second.path, source: "--plugin-dir"),
        ]))
        #expect(catalog.records.map(\.name) == ["tools", "extra", "tools"])
        #expect(catalog.records.map(\.state) == [.enabled, .enabled, .shadowed(by: fixture.plugins.appendingPathComponent("tools").path)])
        #expect(catalog.record(named: "tools")?.manifest?.version == SemanticVersion(1, 0, 0))
    }

    @Test func incompatibleBrokenAndUnsatisfiedPluginsAreDisabledWithTheirReason() {
        let fixture = PluginFixture()
        fixture.write("future", manifest: PluginFixture.manifest("future").replacingOccurrences(of: ">=1.0 <2.0", with: ">=2.0"))
        fixture.write("broken", manifest: "name = ")
        fixture.write("needs-missing", manifest: PluginFixture.manifest("needs-missing", "requires = [\"nowhere >=1\"]\n"))
        fixture.write("needs-newer", manifest: PluginFixture.manifest("needs-newer", "requires = [\"base >=1.5\"]\n"))
        fixture.write("needs-future", manifest: PluginFixture.manifest("needs-future", "requires = [\"future\"]\n"))
        fixture.write("needs-chain", manifest: PluginFixture.manifest("needs-chain", "requires = [\"needs-future\"]\n"))
        fixture.write("needs-base", manifest: PluginFixture.manifest("needs-base", "requires = [\"base ^1.0\"]\n"))
        fixture.write("base", manifest: PluginFixture.manifest("base"))
        fixture.write("nomanifest", manifest: nil)
        let catalog = PluginCatalog(searchPath: fixture.searchPath)
        var states: [String: PluginRecord.State] = [:]
        for record in catalog.records { states[record.name] = record.state }
        #expect(states == [
            "base": .enabled,
            "broken": .disabled(reason: "plugin.toml, line 1, column 8: expected a value"),
            "future": .disabled(reason: "needs the plugin API '>=2.0', and this chorus offers 1.0"),
            "needs-base": .enabled,
            "needs-chain": .disabled(reason: "requires 'needs-future *', which is disabled"),
            "needs-future": .disabled(reason: "requires 'future *', which is disabled"),
            "needs-missing": .disabled(reason: "requires 'nowhere >=1', which is not installed"),
            "needs-newer": .disabled(reason: "requires 'base >=1.5', but base is 1.0.0"),
            "nomanifest": .disabled(reason: ManifestError.missing.description),
        ])
    }

    @Test func aPluginWhoseLoadFailsDisablesThoseRequiringIt() async {
        let fixture = PluginFixture()
        fixture.plugin("lib", main: "error('no')")
        fixture.write("user", manifest: PluginFixture.manifest("user", "requires = [\"lib\"]\n"))
        let catalog = await fixture.host().catalog()
        #expect(catalog.record(named: "lib")?.state == .disabled(reason: "its load failed: lib/main.lua:1: no"))
        #expect(catalog.record(named: "user")?.state == .disabled(reason: "requires 'lib *', which is disabled"))
    }
}
