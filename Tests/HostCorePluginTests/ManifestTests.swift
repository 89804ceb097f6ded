import Foundation
import HostCore
import Testing

/// Every manifest error, by name and exact message; versions and ranges.
@Suite struct ManifestTests {
    static let base = "name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"\napi = \">=1.0 <2.0\"\n"

    @Test func aFullManifestReads() throws {
        // Comments, literal strings, escapes and arrays over several lines, as TOML writes them.
        let spread = try PluginManifest.parse(
            "# a comment\r\nname = 'p' # trailing\nversion = \"1.0.0\"\ndescription = \"caf\\u00e9 \\\"x\\\"\"\napi = \"*\"\n"
                + "permissions = [\n  \"store\", # the store\n  'fs.read',\n]\n")
        #expect(spread.description == "café \"x\"")
        #expect(spread.permissions == [.store, .fsRead])
        // The rest of TOML's strings and keys read too: multi-line strings, quoted keys.
        let quoted = try PluginManifest.parse(
            "\"name\" = 'p'\nversion = '''1.0.0'''\ndescription = \"\"\"\nA plugin.\"\"\"\napi = \"*\"\n")
        #expect(quoted.name == "p")
        #expect(quoted.version == SemanticVersion(1, 0, 0))
        #expect(quoted.description == "A plugin.")
        let manifest = try PluginManifest.parse(
            Self.base + "entry = \"src/init.lua\"\npermissions = [\"store\", \"chorus.read\"]\nrequires = [\"csv-tools >=1.2, <2\", \"other\"]\n")
        #expect(manifest.name == "p")
        #expect(manifest.version == SemanticVersion(1, 0, 0))
        #expect(manifest.entry == "src/init.lua")
        #expect(manifest.permissions == [.store, .chorusRead])
        #expect(manifest.requires.map(\.name) == ["csv-tools", "other"])
        #expect(manifest.requires[0].range.contains(SemanticVersion(1, 9, 9)))
        #expect(!manifest.requires[0].range.contains(SemanticVersion(2, 0, 0)))
        #expect(manifest.requires[1].range.contains(SemanticVersion(0, 0, 1)))
        #expect(try PluginManifest.parse(Self.base).entry == "main.lua")
    }

    static let mistakes: [(String, ManifestError)] = [
        ("name = ", ManifestError.invalidTOML(line: 1, column: 8, reason: "expected a value")),
        ("name = p", .invalidTOML(line: 1, column: 8, reason: "'p' is not a value: strings are written in quotes (\"p\")")),
        ("name = \"p", .invalidTOML(line: 1, column: 10, reason: "the string is not closed")),
        ("name = \"p\"\nname = \"q\"", .invalidTOML(line: 2, column: 1, reason: "the key 'name' is defined twice")),
        ("[plugin]\nname = \"p\"", .invalidTOML(line: 1, column: 1, reason: "tables ([plugin]) are not part of a plugin manifest: write every key at the top level")),
        (base + "\n[[more.items]]\nx = 1", .invalidTOML(line: 6, column: 1, reason: "tables ([more.items]) are not part of a plugin manifest: write every key at the top level")),
        (base + "plugin.name = \"p\"", .invalidTOML(line: 5, column: 1, reason: "dotted keys (plugin.name) are not part of a plugin manifest: write every key at the top level")),
        ("name = \"p\"\n\"name\" = \"q\"", .invalidTOML(line: 2, column: 1, reason: "the key 'name' is defined twice")),
        ("name = \"a\u{1}b\"", .invalidTOML(line: 1, column: 10, reason: "control character \\u0001 in a string")),
        ("name = \"a\\qb\"", .invalidTOML(line: 1, column: 10, reason: "unknown escape \\q in a string")),
        ("name = \"p\" x", .invalidTOML(line: 1, column: 12, reason: "unexpected 'x' after the value of 'name': expected the end of the line")),
        ("permissions = [\"a\" \"b\"]", .invalidTOML(line: 1, column: 20, reason: "unexpected '\"' in the array: expected ',' or ']'")),
        ("permissions = [\"a\",", .invalidTOML(line: 1, column: 20, reason: "the array is not closed with ']'")),
        ("= 1", .invalidTOML(line: 1, column: 1, reason: "unexpected '=': expected a key (letters, digits, '_' and '-', or a quoted string)")),
        ("name = { a = 1 }", .invalidTOML(line: 1, column: 8, reason: "inline tables are not part of a plugin manifest")),
        ("version = \"1.0.0\"\ndescription = \"d\"\napi = \"*\"", .missingKey("name")),
        ("name = \"p\"\ndescription = \"d\"\napi = \"*\"", .missingKey("version")),
        ("name = \"p\"\nversion = \"1.0.0\"\napi = \"*\"", .missingKey("description")),
        ("name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"", .missingKey("api")),
        ("name = 3\nversion = \"1.0.0\"\ndescription = \"d\"\napi = \"*\"", .wrongType(key: "name", expected: "a string")),
        (base + "permissions = \"store\"", .wrongType(key: "permissions", expected: "an array of strings")),
        (base + "requires = [1]", .wrongType(key: "requires", expected: "an array of strings")),
        (base + "permission = []", .unknownKey("permission", suggestion: "permissions")),
        (base + "colour = 1", .unknownKey("colour", suggestion: nil)),
        ("name = \"My Plugin\"\nversion = \"1.0.0\"\ndescription = \"d\"\napi = \"*\"", .invalidName("My Plugin")),
        ("name = \"p\"\nversion = \"1.0\"\ndescription = \"d\"\napi = \"*\"", .invalidVersion("1.0")),
        ("name = \"p\"\nversion = \"01.0.0\"\ndescription = \"d\"\napi = \"*\"", .invalidVersion("01.0.0")),
        ("name = \"p\"\nversion = \"1.0.0\"\ndescription = \"  \"\napi = \"*\"", .emptyDescription),
        ("name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"\napi = \"\"",
         .invalidAPIRange("", reason: "it is empty (write e.g. \">=1.0 <2.0\", or \"*\" for any)")),
        ("name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"\napi = \">=one\"",
         .invalidAPIRange(">=one", reason: "'>=one' is not a comparator (an operator >=, >, <=, <, =, ^ or ~ followed by a version such as 1.2 or 1.2.3)")),
        (base + "entry = \"../main.lua\"", .invalidEntry("../main.lua")),
        (base + "entry = \"/etc/main.lua\"", .invalidEntry("/etc/main.lua")),
        (base + "entry = \"main.py\"", .invalidEntry("main.py")),
        (base + "permissions = [\"chorus.wirte\"]", .unknownPermission("chorus.wirte", suggestion: "chorus.write")),
        (base + "permissions = [\"network\"]", .unknownPermission("network", suggestion: nil)),
        (base + "requires = [\"Other >=1\"]", .invalidRequirement("Other >=1", reason: "'Other' is not a plugin name")),
        (base + "requires = [\"other 1.x\"]",
         .invalidRequirement("other 1.x", reason: "'1.x' is not a comparator (an operator >=, >, <=, <, =, ^ or ~ followed by a version such as 1.2 or 1.2.3)")),
        (base + "requires = [\"p >=1\"]", .requiresItself),
    ]

    @Test(arguments: mistakes)
    func eachMistakeIsNamed(text: String, expected: ManifestError) {
        #expect(throws: expected) { try PluginManifest.parse(text) }
    }

    /// The messages users read, exactly.
    @Test func messages() {
        #expect(ManifestError.missing.description
            == "no plugin.toml in the folder (a plugin is a folder with plugin.toml and its entry file; `chorus plugins new NAME` makes one)")
        #expect(ManifestError.unreadable.description == "plugin.toml cannot be read (check its permissions)")
        #expect(ManifestError.tooLarge(bytes: 70000).description == "plugin.toml is 70000 bytes, more than the 65536 a manifest may have")
        #expect(ManifestError.invalidTOML(line: 1, column: 8, reason: "x").description == "plugin.toml, line 1, column 8: x")
        #expect(ManifestError.missingKey("api").description == "plugin.toml has no 'api' (required: name, version, description, api)")
        #expect(ManifestError.wrongType(key: "name", expected: "a string").description == "'name' in plugin.toml must be a string")
        #expect(ManifestError.unknownKey("permission", suggestion: "permissions").description
            == "unknown key 'permission' in plugin.toml; did you mean 'permissions'?")
        #expect(ManifestError.unknownKey("colour", suggestion: nil).description
            == "unknown key 'colour' in plugin.toml (known: name, version, description, api, entry, permissions, requires)")
        #expect(ManifestError.invalidName("My Plugin").description
            == "name 'My Plugin' is not a plugin name: use 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter")
        #expect(ManifestError.nameMismatch(name: "a", folder: "b").description
            == "plugin.toml names the plugin 'a' but its folder is 'b': rename one so they match")
        #expect(ManifestError.invalidVersion("1.0").description == "version '1.0' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0)")
        #expect(ManifestError.emptyDescription.description == "description in plugin.toml is empty: say in one line what the plugin does")
        #expect(ManifestError.invalidAPIRange("x", reason: "r").description == "api 'x' is not a version range: r")
        #expect(ManifestError.invalidEntry("../m.lua").description
            == "entry '../m.lua' must be a relative path to a .lua file inside the plugin's folder (default main.lua)")
        #expect(ManifestError.missingEntry("main.lua").description == "the entry file 'main.lua' does not exist in the plugin's folder")
        #expect(ManifestError.unknownPermission("chorus.wirte", suggestion: "chorus.write").description
            == "unknown permission 'chorus.wirte'; did you mean 'chorus.write'? (permissions: chorus.read, chorus.write, fs.read, fs.write, store)")
        #expect(ManifestError.invalidRequirement("x y", reason: "r").description
            == "requires item 'x y' is not 'NAME RANGE' (e.g. \"csv-tools >=1.2 <2.0\"): r")
        #expect(ManifestError.requiresItself.description == "the plugin requires itself")
    }

    /// The errors only a folder can show: no manifest, a mismatched name, a missing entry, a huge file.
    @Test func folderErrors() throws {
        let fixture = PluginFixture()
        #expect(throws: ManifestError.missing) { try PluginManifest.read(folder: fixture.write("empty", manifest: nil)) }
        #expect(throws: ManifestError.nameMismatch(name: "other", folder: "named")) {
            try PluginManifest.read(folder: fixture.write("named", manifest: PluginFixture.manifest("other")))
        }
        #expect(throws: ManifestError.missingEntry("main.lua")) {
            try PluginManifest.read(folder: fixture.write("noentry", manifest: PluginFixture.manifest("noentry"), files: [:]))
        }
        // Bytes that are not UTF-8 are refused where they are, not read as replacement characters.
        let binary = fixture.write("binary", manifest: nil)
        try (Data("name = \"p".utf8) + [0xFF] + Data("\"\n".utf8)).write(to: binary.appendingPathComponent("plugin.toml"))
        #expect(throws: ManifestError.invalidTOML(line: 1, column: 10, reason: "the document is not valid UTF-8")) {
            try PluginManifest.read(folder: binary)
        }
        let huge = PluginFixture.manifest("huge") + "# " + String(repeating: "x", count: 70_000) + "\n"
        #expect(throws: ManifestError.tooLarge(bytes: huge.utf8.count)) {
            try PluginManifest.read(folder: fixture.write("huge", manifest: huge))
        }
        let folder = fixture.write("locked", manifest: PluginFixture.manifest("locked"))
        let file = folder.appendingPathComponent("plugin.toml").path
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file) }
        // Root reads anything; the check only means something for other users.
        if getuid() != 0 {
            #expect(throws: ManifestError.unreadable) { try PluginManifest.read(folder: folder) }
        }
    }

    static let rangeCases: [(String, String, Bool)] = [
        (">=1.0 <2.0", "1.0.0", true), (">=1.0 <2.0", "2.0.0", false), (">=1.0 <2.0", "1.99.0", true),
        (">=1.0, <2.0", "0.9.9", false), ("^1.2", "1.9.0", true), ("^1.2", "2.0.0", false), ("^0.2", "0.3.0", false),
        ("~1.2", "1.2.9", true), ("~1.2", "1.3.0", false), ("=1.2.3", "1.2.3", true), ("1.2.3", "1.2.4", false),
        ("*", "0.0.1", true), (">1.0.0", "1.0.0", false), ("<=1.0.0", "1.0.0", true), (">=1.0", "1.0.0-beta", false),
    ]

    @Test(arguments: rangeCases)
    func ranges(range: String, version: String, inside: Bool) throws {
        #expect(try VersionRange(range).contains(#require(SemanticVersion(version))) == inside)
    }

    /// Hostile manifests: arbitrary bytes and mangled valid ones end in a named error or a manifest,
    /// never a crash.
    @Test func arbitraryBytesNeverCrashTheReader() {
        var generator = SystemRandomNumberGenerator()
        let valid = Array((Self.base + "permissions = [\"store\"]\nrequires = [\"a >=1\"]\n").utf8)
        for round in 0..<500 {
            var bytes = valid
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            _ = try? PluginManifest.parse(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func versionsOrderAsSemverSays() throws {
        let order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"]
        let versions = try order.map { try #require(SemanticVersion($0)) }
        #expect(versions.sorted() == versions)
        #expect(SemanticVersion("1.0.0+build.5") == SemanticVersion(1, 0, 0))
        #expect(SemanticVersion("1.0.0-") == nil)
        #expect(SemanticVersion("1.0.0.0") == nil)
        #expect(SemanticVersion("99999999999.0.0") == nil)
    }
}
