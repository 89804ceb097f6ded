import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// `chorus plugins list|info|new` and `chorus PLUGIN:COMMAND`, end to end: the built binary in a subprocess.
@Suite struct PluginCommandTests {
    let folder: URL
    let environment: [String: String]

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("home"), withIntermediateDirectories: true)
        environment = ["HOME": folder.appendingPathComponent("home").path, "XDG_STATE_HOME": folder.appendingPathComponent("state").path]
    }

    func chorus(_ arguments: [String]) async throws -> ChorusSubprocess.Outcome {
        try await ChorusSubprocess.run(arguments, environment: environment, directory: folder)
    }

    func plugin(_ name: String, api: String = ">=1.0 <2.0", main: String, in directory: String = "plugins") throws {
        let url = folder.appendingPathComponent(directory).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let manifest = "name = \"\(name)\"\nversion = \"1.2.0\"\ndescription = \"The \(name) plugin.\"\napi = \"\(api)\"\n"
        try manifest.write(to: url.appendingPathComponent("plugin.toml"), atomically: true, encoding: .utf8)
        try main.write(to: url.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
    }

    static let tool = """
        chorus.command{ name = "add", description = "Adds two numbers.", args = {
          { name = "a", type = "integer", help = "the first" },
          { name = "b", type = "integer", help = "the second", default = 10 },
          { name = "label", option = true, help = "printed before the sum" },
          { name = "fail", type = "boolean", help = "fail with a business error" },
        }, run = function(args)
          if args.fail then error(setmetatable({ code = "BUSINESS", message = "refused on purpose" }, chorus.Error)) end
          print((args.label or "sum") .. ": " .. (args.a + args.b))
        end }
        chorus.command{ name = "quit", run = function() chorus.exit(7, "bye") end }
        chorus.workflow{ name = "nightly", cron = "0 2 * * *", run = function() end }
        """

    @Test func aPluginCommandRunsWithItsArguments() async throws {
        try plugin("tool", main: Self.tool)
        let sum = try await chorus(["tool:add", "2", "--label", "total"])
        #expect(sum.stdout == "total: 12\n")
        #expect(sum.status == 0)
        #expect(try await chorus(["tool:add", "2", "3"]).stdout == "sum: 5\n")
        let help = try await chorus(["tool:add", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout == """
            Adds two numbers.

            USAGE: chorus tool:add [options] <a> [<b>]

            ARGUMENTS:
              <a>                     the first
              <b>                     the second (default: 10)

            OPTIONS:
              --label <string>        printed before the sum
              --fail                  fail with a business error
              -h, --help              Show this help.

            """)
        let cases: [([String], String)] = [
            (["tool:add"], "chorus: missing argument a (the first); see chorus tool:add --help\n"),
            (["tool:add", "x"], "chorus: a must be an integer, got 'x'; see chorus tool:add --help\n"),
            (["tool:add", "1", "--colour"], "chorus: unknown option '--colour' (options: --label, --fail); see chorus tool:add --help\n"),
            (["tool:add", "1", "2", "3"], "chorus: unexpected argument '3' (add takes 2 arguments); see chorus tool:add --help\n"),
            (["tool:add", "1", "--label"], "chorus: --label needs a value; see chorus tool:add --help\n"),
            (["tool:nope"], "chorus: plugin 'tool' has no command 'nope' (its commands: add, quit)\n"),
            (["nothing:here"], "chorus: no plugin named 'nothing' (chorus plugins list shows them)\n"),
            (["--colour", "tool:add"], "Error: Unknown option '--colour'\nUsage: chorus [--plugin-dir <dir> ...] [--timeout <SECONDS>] [--allow-path <PATH> ...] [--profile <name>] [--env <env>] [--config <path>] [--json] [--verbose ...] [--quiet]\n  See 'chorus --help' for more information.\n"),
        ]
        for (arguments, message) in cases {
            let outcome = try await chorus(arguments)
            #expect(outcome.status == 2, "\(arguments)")
            #expect(outcome.stderr == message, "\(arguments)")
        }
        let failed = try await chorus(["tool:add", "1", "--fail"])
        #expect(failed.status == 8)
        #expect(failed.stderr == "chorus: BUSINESS: refused on purpose\nstack traceback:\n\ttool/main.lua:7: in field 'run'\n")
        let quit = try await chorus(["tool:quit"])
        #expect(quit.status == 7)
        #expect(quit.stderr == "bye\n")
    }

    @Test func listShowsEnabledDisabledAndShadowedPlugins() async throws {
        try plugin("tool", main: Self.tool)
        try plugin("future", api: ">=3.0", main: "")
        try plugin("tool", main: "", in: "more")
        try plugin("broken", main: "chorus.command{ name = 'x' }", in: "more")
        let outcome = try await chorus(["plugins", "list", "--plugin-dir", "more"])
        #expect(outcome.status == 0)
        let more = folder.appendingPathComponent("more").path
        let plugins = folder.appendingPathComponent("plugins").path
        #expect(outcome.stdout == """
            Search path:
              \(more) (--plugin-dir)
              \(plugins) (./plugins)
              \(folder.path)/home/.local/share/chorus/plugins (XDG_DATA_HOME)
              /usr/share/chorus/plugins (system)

            broken 1.2.0  disabled: its load failed: broken/main.lua:1: chorus.command: run must be a function, got nil
            tool 1.2.0  enabled
              The tool plugin.
            future 1.2.0  disabled: needs the plugin API '>=3.0', and this chorus offers 1.0
            tool 1.2.0  shadowed: by \(more)/tool

            """)
        let json = try JSONValue.parse(Array(try await chorus(["plugins", "list", "--json"]).stdout.utf8))
        let tool = try #require(json.arrayValue?.first { $0["name"] == "tool" })
        #expect(tool["state"] == "enabled")
        #expect(tool["commands"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["add", "quit"])
        #expect(tool["workflows"] == .array([.object(["name": "nightly", "cron": "0 2 * * *", "time_zone": "Europe/Paris"])]))
        let unknown = try await chorus(["plugins", "info", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "chorus: no plugin named 'nope' on the search path (chorus plugins list shows them)\n")
        let info = try await chorus(["plugins", "info", "tool"])
        #expect(info.stdout.contains("workflow tool:nightly: cron 0 2 * * *, time zone Europe/Paris\n"))
    }

    /// `plugins new` makes a plugin whose own test script passes.
    @Test func newMakesAWorkingPluginWithATestScript() async throws {
        let created = try await chorus(["plugins", "new", "greeter"])
        #expect(created.status == 0)
        #expect(created.stdout == """
            Created plugins/greeter: plugin.toml, main.lua, lua/greeting.lua, test.sh
            Try it: chorus --plugin-dir plugins greeter:hello --shout
            Test it: plugins/greeter/test.sh

            """)
        let again = try await chorus(["plugins", "new", "greeter"])
        #expect(again.status == 2)
        #expect(again.stderr == "chorus: \(folder.path)/plugins/greeter already exists; choose another name or folder (--dir)\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [folder.appendingPathComponent("plugins/greeter/test.sh").path]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": environment["HOME"]!, "CHORUS": try #require(ChorusSubprocess.binary()).path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text == "ok: greeter passes its tests\n")
    }

    /// `chorus deposit` fires the hooks of the plugins on the search path: a deposit.before handler
    /// refuses a file before anything is sent; deposit.after and flow.final see the others.
    @Test func chorusDepositFiresThePluginsHooks() async throws {
        try plugin("auditor", main: """
            chorus.on("deposit.before", function(event)
              if event.name:match("^ubl") then error("no UBL today", 0) end
            end)
            chorus.on("deposit.after", function(event)
              chorus.store.set("after", event.source .. " " .. event.name .. " " .. tostring(event.answer.numeroFluxDepot ~= nil))
            end)
            chorus.on("flow.final", function(event) chorus.store.set("final", event.report.etatCourantDepotFlux) end)
            chorus.command{ name = "seen", run = function() print(chorus.store.get("after"), chorus.store.get("final")) end }
            """)
        let manifest = folder.appendingPathComponent("plugins/auditor/plugin.toml")
        try (String(contentsOf: manifest, encoding: .utf8) + "permissions = [\"store\"]\n").write(to: manifest, atomically: true, encoding: .utf8)
        let samples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices")
        for name in ["cii-invoice.xml", "ubl-invoice.xml"] {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let deposit = try await chorus(["deposit", "--env", "sim", "--wait", "--json", "cii-invoice.xml", "ubl-invoice.xml"])
        #expect(deposit.status == 9)
        let rows = try JSONValue.parse(Array(deposit.stdout.utf8))["files"]?.arrayValue ?? []
        #expect(rows.map { $0["outcome"]?.stringValue ?? "?" } == ["integrated", "refused"], "\(deposit.stdout) \(deposit.stderr)")
        #expect(rows.last?["detail"] == "the deposit was refused by plugin 'auditor' (deposit.before): no UBL today")
        #expect(try await chorus(["auditor:seen"]).stdout == "chorus deposit cii-invoice.xml true\tIN_INTEGRE\n")
        // A --plugin-dir folder is searched first: its plugin's handler refuses before the auditor's.
        try plugin("gate", main: "chorus.on(\"deposit.before\", function() error(\"closed\", 0) end)", in: "more")
        let gated = try await chorus(["deposit", "--env", "sim", "--json", "--plugin-dir", "more", "ubl-invoice.xml"])
        #expect(gated.status == 9)
        let gatedRows = try JSONValue.parse(Array(gated.stdout.utf8))["files"]?.arrayValue ?? []
        #expect(gatedRows.first?["detail"] == "the deposit was refused by plugin 'gate' (deposit.before): closed", "\(gated.stdout)")
    }

    /// The example through the scheduler's `once`, against a simulator with a state file (so each
    /// process finds the flux of the previous one) that processes flux at once.
    @Test func theExampleSyncsThroughScheduleOnce() async throws {
        let examples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/plugins").path
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let samples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices")
        for name in ["cii-invoice.xml", "rejected-missing-service.xml"] {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
        }
        let scenario = folder.appendingPathComponent("fast.toml")
        try "[settings]\nprocessing_delay = 0\nrouting_delay = 0\n".write(to: scenario, atomically: true, encoding: .utf8)
        var environment = self.environment
        environment["CHORUS_SIM_STATE"] = folder.appendingPathComponent("sim.json").path
        environment["CHORUS_SIM_SCENARIO"] = scenario.path
        func run(_ arguments: [String]) async throws -> ChorusSubprocess.Outcome {
            try await ChorusSubprocess.run(arguments, environment: environment, directory: folder)
        }
        let once = try await run(["schedule", "once", "--env", "sim", "--plugin-dir", examples, "invoice-sync:sync"])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout == "run 1 of invoice-sync:sync: succeeded in " + (once.stdout.split(separator: " ").last.map(String.init) ?? ""))
        let fm = FileManager.default
        #expect(try fm.contentsOfDirectory(atPath: inbox.appendingPathComponent("done").path) == ["cii-invoice.xml"])
        #expect(try fm.contentsOfDirectory(atPath: inbox.appendingPathComponent("rejected").path).sorted()
            == ["rejected-missing-service.xml", "rejected-missing-service.xml.reason.txt"])
        let status = try await run(["--env", "sim", "--plugin-dir", examples, "invoice-sync:status"])
        #expect(status.stdout.hasSuffix("waiting: 0\nfollowed: 0\ntotals: 1 deposited, 1 done, 1 rejected\n"))
        let history = try await run(["schedule", "history", "--json"])
        #expect(history.stdout.contains("\"succeeded\""), "\(history.stdout)")
    }

    /// A plugin with fs.write reaches the working directory, and other folders only through
    /// --allow-path or CHORUS_PLUGIN_ALLOW_PATH.
    @Test func pluginFilesStayInTheirFolders() async throws {
        try plugin("writer", main: """
            chorus.command{ name = "put", args = { { name = "path" } }, run = function(args)
              chorus.fs.write(args.path, "x")
              print("wrote " .. chorus.fs.basename(args.path))
            end }
            """)
        let manifest = folder.appendingPathComponent("plugins/writer/plugin.toml")
        try (String(contentsOf: manifest, encoding: .utf8) + "permissions = [\"fs.write\"]\n").write(to: manifest, atomically: true, encoding: .utf8)
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        #expect(try await chorus(["writer:put", "here.txt"]).stdout == "wrote here.txt\n")
        let refused = try await chorus(["writer:put", outside.path + "/a.txt"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("chorus: writer/main.lua:2: '\(outside.path)/a.txt' is outside the folders this run may use"))
        #expect(try await chorus(["--allow-path", outside.path, "writer:put", outside.path + "/b.txt"]).stdout == "wrote b.txt\n")
        var environment = self.environment
        environment["CHORUS_PLUGIN_ALLOW_PATH"] = "/nowhere:" + outside.path
        let viaEnvironment = try await ChorusSubprocess.run(["writer:put", outside.path + "/c.txt"], environment: environment, directory: folder)
        #expect(viaEnvironment.stdout == "wrote c.txt\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).sorted() == ["b.txt", "c.txt"])
    }

    @Test func theExamplePluginsStatusRunsFromTheCommandLine() async throws {
        let examples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/plugins").path
        let status = try await chorus(["--env", "sim", "--plugin-dir", examples, "invoice-sync:status"])
        #expect(status.status == 0)
        #expect(status.stdout == "inbox: inbox (last sync: never)\nwaiting: 0\nfollowed: 0\ntotals: 0 deposited, 0 done, 0 rejected\n")
    }
}
