import ChorusTestSupport
import Foundation
import Testing

/// The binary `./scripts/install PREFIX` installed, run from a clean environment (nothing inherited,
/// no Swift on PATH): it must run without a Swift toolchain. It needs a release build, so it runs
/// from `./scripts/test-install` (which builds, installs in a temporary prefix and sets
/// CHORUS_INSTALLED_PREFIX), not from `./scripts/test`.
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["CHORUS_INSTALLED_PREFIX"] != nil,
        "needs an installed chorus: ./scripts/test-install builds one and runs these"))
struct ScheduleInstallTests {
    let prefix = URL(fileURLWithPath: ProcessInfo.processInfo.environment["CHORUS_INSTALLED_PREFIX"] ?? "/nonexistent")
    var binary: URL { prefix.appendingPathComponent("bin/chorus") }
    let home: URL

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-installed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// `env -i HOME=... PATH=/usr/bin:/bin chorus ARGUMENTS`.
    func installed(_ arguments: [String], in directory: URL? = nil) async throws -> ChorusSubprocess.Outcome {
        try await ChorusSubprocess.run(
            arguments, environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"], directory: directory ?? home,
            executable: binary)
    }

    @Test func theCleanEnvironmentHasNoSwift() throws {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "command -v swift swiftc"]
        shell.environment = ["PATH": "/usr/bin:/bin"]
        shell.standardOutput = FileHandle.nullDevice
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus != 0)
    }

    @Test func itLinksNoSwiftRuntimeLibrary() throws {
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [binary.path]
        let pipe = Pipe()
        ldd.standardOutput = pipe
        try ldd.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        #expect(text.contains("liblua5.4"))
        #expect(!text.contains("libswift") && !text.contains("Foundation") && !text.contains("not found"), "\(text)")
    }

    @Test func itRunsAScriptAgainstTheSimulator() async throws {
        #expect(try await installed(["--version"]).stdout == "0.1.0\n")
        let outcome = try await installed(["run", "examples/hello.lua", "server"], in: ChorusSubprocess.packageRoot)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("Hello, server, from Lua 5.4 inside chorus!\n"))
        let list = try await installed(["schedule", "list"])
        #expect(list.status == 0, "\(list.stderr)")
    }

    @Test func completionsAndTheUnitAreInstalled() throws {
        let bash = try String(contentsOf: prefix.appendingPathComponent("share/bash-completion/completions/chorus"), encoding: .utf8)
        #expect(bash.contains("schedule"))
        #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent("share/zsh/site-functions/_chorus").path))
        #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent("share/fish/vendor_completions.d/chorus.fish").path))
        let unit = try String(
            contentsOf: prefix.appendingPathComponent("share/doc/chorus/examples/systemd/chorus-schedule.service"), encoding: .utf8)
        #expect(unit.contains("\nExecStart=\(binary.path) schedule run --grace 60\n"))
    }
}
