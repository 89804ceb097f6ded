import Foundation
import HostCore
import LuaRuntime
import Testing

/// Loading only registers: the registrations are checked with errors naming the plugin and its file,
/// and a load that acts, waits or runs long disables the plugin (and no other).
@Suite struct PluginLoadTests {
    @Test func aPluginRegistersCommandsWorkflowsAndHooks() async throws {
        let fixture = PluginFixture()
        fixture.plugin("hello", main: """
            local util = require("hello.util")
            chorus.command{ name = "greet", description = "Says hello.", args = {
              { name = "who", help = "whom to greet" },
              { name = "times", option = true, type = "integer", default = 1 },
              { name = "loud", type = "boolean" },
            }, run = function(args)
              for _ = 1, args.times do print(util.greeting(args.who, args.loud)) end
            end }
            chorus.workflow{ name = "tick", every = "1h30m", run = function(ctx) print("tick", ctx.workflow) end }
            chorus.workflow{ name = "office", cron = "*/15 8-18 * * 1-5", timezone = "America/New_York", run = function() end }
            chorus.on("deposit.after", function(event) end)
            """, files: ["lua/hello/util.lua": """
            local M = {}
            function M.greeting(who, loud) local text = "hello " .. who; return loud and text:upper() or text end
            return M
            """])
        let host = fixture.host()
        let declared = try await host.declarations(of: "hello").get()
        #expect(declared.commands.map(\.name) == ["greet"])
        #expect(declared.commands[0].arguments.map(\.name) == ["who", "times", "loud"])
        #expect(declared.workflows == [
            .init(plugin: "hello", name: "tick", timing: .every(seconds: 5400)),
            .init(plugin: "hello", name: "office", timing: .cron("*/15 8-18 * * 1-5"), timeZone: "America/New_York"),
        ])
        #expect(declared.hooks == ["deposit.after"])
        let arguments = try #require(try declared.commands[0].parse(["world", "--times", "2", "--loud"], plugin: "hello"))
        let run = await host.command("hello", "greet", arguments)
        #expect(run.error == nil)
        #expect(run.output == "HELLO WORLD\nHELLO WORLD\n")
        let lines = Lines()
        let outcome = await host.run(declared.workflows[0], log: { lines.append($0) })
        #expect(outcome == .succeeded)
        #expect(lines.all == ["tick\ttick"])
        #expect(try await host.declarations().map(\.id) == ["hello:tick", "hello:office"])
    }

    /// Each registration mistake, with its message at the plugin's line.
    static let mistakes: [(String, String)] = [
        ("chorus.command{ name = 'Bad', run = function() end }",
         "load failed: bad/main.lua:1: chorus.command: name must be 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter; got 'Bad'"),
        ("chorus.command{ name = 'x' }", "load failed: bad/main.lua:1: chorus.command: run must be a function, got nil"),
        ("chorus.command{ name = 'x', run = print, colour = 1 }",
         "load failed: bad/main.lua:1: chorus.command: unknown field 'colour' (fields: name, description, args, run)"),
        ("chorus.command{ name = 'x', run = print }\nchorus.command{ name = 'x', run = print }",
         "load failed: bad/main.lua:2: chorus.command: the command 'x' is declared twice"),
        ("chorus.command{ name = 'x', run = print, args = { { name = 'n', type = 'date' } } }",
         "load failed: bad/main.lua:1: chorus.command: args[1].type must be string, integer, number or boolean, got 'date'"),
        ("chorus.command{ name = 'x', run = print, args = { { name = 'a', required = false }, { name = 'b' } } }",
         "load failed: bad/main.lua:1: chorus.command: args[2]: the required argument 'b' cannot follow an optional one"),
        ("chorus.workflow{ name = 'w', run = print }",
         "load failed: bad/main.lua:1: chorus.workflow: give exactly one of cron = \"*/15 8-18 * * 1-5\" or every = \"10m\""),
        ("chorus.workflow{ name = 'w', every = '10 minutes', run = print }",
         "load failed: bad/main.lua:1: chorus.workflow: every must be a duration such as \"10m\", \"1h30m\" or \"1d\" (1 minute to 366 days), got '10 minutes'"),
        ("chorus.workflow{ name = 'w', every = '30s', run = print }",
         "load failed: bad/main.lua:1: chorus.workflow: every must be a duration such as \"10m\", \"1h30m\" or \"1d\" (1 minute to 366 days), got '30s'"),
        ("chorus.workflow{ name = 'w', cron = '* * *', run = print }",
         "load failed: bad/main.lua:1: chorus.workflow: invalid cron \"* * *\": 3 fields, expected 5 (minute hour day-of-month month day-of-week) or a macro such as @hourly"),
        ("chorus.workflow{ name = 'w', cron = '61 * * * *', run = print }",
         "load failed: bad/main.lua:1: chorus.workflow: invalid cron \"61 * * * *\": minute 61 is out of range 0-59"),
        ("chorus.workflow{ name = 'w', every = '5m', timezone = 'Europe/Pariss', run = print }",
         "load failed: bad/main.lua:1: chorus.workflow: timezone must be an IANA time zone name such as \"Europe/Paris\", got Europe/Pariss"),
        ("chorus.on('deposit.during', print)",
         "load failed: bad/main.lua:1: chorus.on: unknown hook 'deposit.during' (hooks: deposit.before, deposit.after, flow.final, invoice.status)"),
        ("chorus.on('flow.final', 42)", "load failed: bad/main.lua:1: chorus.on: the handler must be a function, got number"),
        ("local x = 1\nchorus.env()",
         "load failed: bad/main.lua:2: chorus.env cannot be used while plugin 'bad' loads: loading only registers commands, workflows and hooks; call it inside their run function"),
        ("chorus.sleep(0.01)",
         "load failed: bad/main.lua:1: chorus.sleep cannot be used while plugin 'bad' loads: loading only registers commands, workflows and hooks; call it inside their run function"),
        ("local f = chorus.sleep\nlocal ok = pcall(f, 0)\nerror('after pcall: ' .. tostring(ok))",
         "load failed: bad/main.lua:3: after pcall: false"),
        ("error('boom')", "load failed: bad/main.lua:1: boom"),
        ("this is not lua", "load failed: bad/main.lua:1: syntax error near 'is'"),
    ]

    @Test(arguments: mistakes)
    func registrationErrorsNameThePluginAndItsFile(main: String, reason: String) async throws {
        let fixture = PluginFixture()
        fixture.plugin("bad", main: main)
        fixture.plugin("good", main: "chorus.command{ name = 'ok', run = function() print('fine') end }")
        let host = fixture.host()
        let catalog = await host.catalog()
        #expect(catalog.record(named: "bad")?.state == .disabled(reason: "its " + reason))
        // The others are unaffected.
        #expect(catalog.record(named: "good")?.state == .enabled)
        #expect(await host.command("good", "ok").output == "fine\n")
    }

    @Test func aLoadPastItsBudgetFails() async throws {
        let fixture = PluginFixture()
        fixture.plugin("slow", main: "while true do end")
        // Coroutines of its own are fine while loading.
        fixture.plugin("coroutines", main: "local co = coroutine.wrap(function() return 1 end)\nco()\nchorus.command{ name = 'ok', run = print }")
        let host = fixture.host(loadBudget: 0.5)
        let catalog = await host.catalog()
        #expect(catalog.record(named: "coroutines")?.state == .enabled)
        #expect(catalog.record(named: "slow")?.state
            == .disabled(reason: "its load ran past its budget of 0.5 s (loading only registers commands, workflows and hooks)"))
    }

    @Test func reloadSeesPluginsInstalledSince() async throws {
        let fixture = PluginFixture()
        let host = fixture.host()
        #expect(try await host.declarations().isEmpty)
        fixture.plugin("late", main: "chorus.workflow{ name = 'w', every = '5m', run = print }")
        #expect(try await host.declarations().isEmpty)
        await host.reload()
        #expect(try await host.declarations().map(\.id) == ["late:w"])
    }

    @Test func registeringInsideARunFails() async throws {
        let fixture = PluginFixture()
        fixture.plugin("late", main: "chorus.command{ name = 'x', run = function() chorus.command{ name = 'y', run = print } end }")
        let run = await fixture.host().command("late", "x")
        #expect(run.error == "late/main.lua:1: chorus.command: registers only while the plugin loads (at the top level of its entry file or of a module it requires)")
    }

    @Test func requireSeesOnlyThePluginsLuaFolder() async throws {
        let fixture = PluginFixture()
        fixture.plugin("other", main: "", files: ["lua/secret.lua": "return 1"])
        fixture.plugin("mine", main: "chorus.command{ name = 'x', run = function() print(pcall(require, 'secret')) end }")
        let run = await fixture.host().command("mine", "x")
        #expect(run.error == nil)
        #expect(run.output.hasPrefix("false\tmodule 'secret' not found"))
        #expect(run.output.contains("mine/lua/secret.lua"))
    }
}
