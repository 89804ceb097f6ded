import ChorusAPI
import ChorusTestSupport
import Foundation
import Testing

/// `chorus repl` in a real pseudo-terminal (tmux): what a user types and sees.
@Suite(.serialized, .enabled(if: ReplTerminal.available, "tmux is not installed (./scripts/test installs it)"))
struct ReplTerminalTests {
    @Test func expressionsPrintTheirValues() async throws {
        let terminal = try ReplTerminal()
        defer { terminal.stop() }
        try await terminal.start()
        let banner = try terminal.screen()
        let expected =
            #"chorus \d+\.\d+\.\d+ \(Lua 5\.4\) \| environment sim \| API http://127\.0\.0\.1:\d+ \| profile \(none\)"#
        #expect(banner.range(of: expected, options: .regularExpression) != nil)
        try terminal.type("1 + 1")
        try await terminal.waitFor("chorus(sim)> 1 + 1\n2\n")
        try terminal.type(#"{ 3, 1, 2, zeta = chorus.null, alpha = "x", [10] = true }"#)
        try await terminal.waitFor(#"{ 3, 1, 2, alpha = "x", zeta = chorus.null, [10] = true }"#)
        // The last value is in _.
        try terminal.type("_[1] * 10")
        try await terminal.waitFor("\n30\n")
        try terminal.type("local t = {} t.self = t return t")
        try await terminal.waitFor("{ self = <cycle: table: 0x")
    }

    @Test func aFunctionDefinitionContinuesOverLines() async throws {
        let terminal = try ReplTerminal()
        defer { terminal.stop() }
        try await terminal.start()
        try terminal.type("function twice(x)")
        try await terminal.waitFor(">> ")
        try terminal.type("return x * 2")
        try await terminal.waitFor(">> ", count: 2)
        try terminal.type("end")
        try await terminal.waitFor("chorus(sim)> ", count: 2)
        try terminal.type("twice(21)")
        try await terminal.waitFor("twice(21)\n42\n")
    }

    @Test func tabCompletesNamesAndOperationIds() async throws {
        let terminal = try ReplTerminal()
        defer { terminal.stop() }
        try await terminal.start()
        try terminal.type("chorus.invo", enter: false)
        try terminal.key("Tab")
        try await terminal.waitFor("chorus(sim)> chorus.invoices")
        try terminal.type(".ge", enter: false)
        try terminal.key("Tab")
        try await terminal.waitFor("chorus(sim)> chorus.invoices.get")
        try terminal.key("C-c")
        try await terminal.waitFor("chorus(sim)> ", count: 2)
        try terminal.type(#"chorus.call("deposerFl"#, enter: false)
        try terminal.key("Tab")
        try await terminal.waitFor(#"chorus(sim)> chorus.call("deposerFluxFacture"#)
        try terminal.key("C-c")
        try await terminal.waitFor("chorus(sim)> ", count: 3)
        // A value the catalog knows, inside a string after its field name.
        let syntax = try #require(Vocabulary.syntaxesFlux.first)
        try terminal.type(#"x = { syntaxeFlux = ""# + syntax.dropLast(3), enter: false)
        try terminal.key("Tab")
        try await terminal.waitFor(#"x = { syntaxeFlux = ""# + syntax)
    }

    @Test func historyIsKeptAcrossSessions() async throws {
        let first = try ReplTerminal()
        defer { first.stop() }
        try await first.start()
        for _ in 0..<2 {
            try first.type("remembered = 42")
        }
        try await first.waitFor("chorus(sim)> ", count: 3)
        try first.key("C-d")
        try await first.waitFor("[exit 0]")
        first.stop()
        let saved = try String(contentsOf: first.historyFile, encoding: .utf8)
        #expect(saved == "remembered = 42\n")
        let second = try ReplTerminal(home: first.home)
        defer { second.stop() }
        try await second.start()
        try second.key("Up")
        try await second.waitFor("chorus(sim)> remembered = 42")
    }

    @Test func ctrlCStopsASleepAndThePromptComesBack() async throws {
        let terminal = try ReplTerminal()
        defer { terminal.stop() }
        try await terminal.start()
        try terminal.type("chorus.sleep(60)")
        try await terminal.waitFor("chorus.sleep(60)\n")
        try terminal.key("C-c")
        try await terminal.waitFor("interrupted\nchorus(sim)> ")
        try terminal.type("40 + 2")
        try await terminal.waitFor("\n42\n")
    }

    /// Ctrl-C typed with Enter, before the editor gives the terminal back (so it reaches the input as a
    /// character, not as a signal), still stops the chunk it follows.
    @Test func ctrlCTypedRightAfterEnterStopsTheChunk() async throws {
        let terminal = try ReplTerminal()
        defer { terminal.stop() }
        try await terminal.start()
        try terminal.type("chorus.sleep(60)", enter: false)
        try terminal.keys(["Enter", "C-c"])
        try await terminal.waitFor("chorus.sleep(60)\ninterrupted\nchorus(sim)> ")
        try terminal.type("40 + 2")
        try await terminal.waitFor("\n42\n")
    }

    @Test func ctrlCStopsAPendingCallAndTheSessionGoesOn() async throws {
        // A PISTE that never answers: the token request stays pending.
        let server = try await LoopbackHTTPServer.start { _ in nil }
        defer { Task { await server.stop() } }
        let terminal = try ReplTerminal()
        defer { terminal.stop() }
        try await terminal.start(
            environment: [
                "CHORUS_OAUTH_URL": server.tokenURL.absoluteString, "CHORUS_API_URL": server.baseURL.absoluteString,
                "CHORUS_CLIENT_ID": TestCredentials.clientId, "CHORUS_CLIENT_SECRET": TestCredentials.clientSecret,
                "CHORUS_TECH_LOGIN": TestCredentials.login, "CHORUS_TECH_PASSWORD": TestCredentials.password,
            ], prompt: "chorus(custom)> ")
        try terminal.type(#"chorus.call("recupererPays", {})"#)
        let deadline = Date().addingTimeInterval(ReplTerminal.deadline)
        while server.requests.isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!server.requests.isEmpty)
        try terminal.key("C-c")
        try await terminal.waitFor("interrupted\nchorus(custom)> ")
        try terminal.type("'still here'")
        try await terminal.waitFor("\n\"still here\"\n")
    }

    @Test func anErrorShowsItsRemediation() async throws {
        let terminal = try ReplTerminal()
        defer { terminal.stop() }
        try await terminal.start()
        try terminal.type(#"chorus.call("traiterFactureRecue", {})"#)
        let screen = try await terminal.waitFor("  fix: ")
        #expect(screen.contains("BUSINESS factures.traiterUneFactureRecue (HTTP 400, codeRetour 20001):"))
        try await terminal.waitFor("chorus(sim)> ", count: 2)
        // A chorus.Error as a value shows the same way.
        try terminal.type(#"select(2, pcall(chorus.call, "traiterFactureRecue", {}))"#)
        try await terminal.waitFor("chorus(sim)> ", count: 3)
        #expect(try terminal.occurrences("BUSINESS factures.traiterUneFactureRecue (HTTP 400, codeRetour 20001)") == 2)
    }

    @Test func productionAsksBeforeEachWrite() async throws {
        // Production without credentials: the confirmation comes before anything is sent, and the
        // missing credentials stop the write afterwards, so nothing leaves this machine.
        let terminal = try ReplTerminal()
        defer { terminal.stop() }
        try await terminal.start(["repl", "--env", "prod"], prompt: "chorus(PROD)> ")
        #expect(try terminal.screen().contains("PRODUCTION: every write asks for confirmation"))
        try terminal.type(#"chorus.call("deposerFluxFacture", {})"#)
        try await terminal.waitFor("chorus: factures.deposerFluxFacture changes data in PRODUCTION. Send it? [y/N] ")
        try terminal.type("n")
        try await terminal.waitFor("the write was not confirmed")
        try await terminal.waitFor("chorus(PROD)> ", count: 2)
        try terminal.type(#"chorus.call("deposerFluxFacture", {})"#)
        try await terminal.waitFor("Send it? [y/N] ", count: 2)
        try terminal.type("y")
        let screen = try await terminal.waitFor("chorus(PROD)> ", count: 3)
        // Confirmed: the client went on and stopped at the missing credentials.
        #expect(screen.contains("CONFIG"))
        #expect(screen.components(separatedBy: "the write was not confirmed").count == 2)
        // Reads are not asked about.
        try terminal.type(#"pcall(chorus.call, "recupererPays", {})"#)
        try await terminal.waitFor("chorus(PROD)> ", count: 4)
        #expect(try terminal.occurrences("Send it? [y/N]") == 2)
    }

    @Test func saveWritesAScriptThatRuns() async throws {
        let terminal = try ReplTerminal()
        defer { terminal.stop() }
        try await terminal.start()
        try terminal.type("x = 20")
        try await terminal.waitFor("chorus(sim)> ", count: 2)
        try terminal.type("x + 1")
        try await terminal.waitFor("\n21\n")
        try terminal.type("error('not saved')")
        try await terminal.waitFor("stdin:1: not saved\n")
        try terminal.type("print('saved', _ * 2)")
        // The terminal shows print's tab as spaces.
        try await terminal.waitFor("\nsaved   42\n")
        let script = terminal.home.appendingPathComponent("session.lua")
        try terminal.type(".save \(script.path)")
        try await terminal.waitFor("saved 3 chunk(s) to ")
        let outcome = try await ChorusSubprocess.run(["run", script.path], environment: terminal.environment([:]))
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "saved\t42\n")
    }
}
