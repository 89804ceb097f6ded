import ChorusTestSupport
import Foundation
import Testing

/// `chorus repl` with stdin not a terminal (`chorus repl < file`) and `-e`: no banner, no prompt, no
/// colour; values on stdout, errors on stderr.
@Suite struct ReplPipedTests {
    let home: URL

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-repl-piped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    var environment: [String: String] {
        [
            "HOME": home.path, "PATH": "/usr/bin:/bin", "XDG_STATE_HOME": home.appendingPathComponent("state").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
        ]
    }

    func repl(_ input: String, _ arguments: [String] = []) async throws -> ChorusSubprocess.Outcome {
        try await ChorusSubprocess.run(["repl"] + arguments, environment: environment, stdin: input, directory: home)
    }

    @Test func aTranscriptPrintsItsValuesWithoutPrompts() async throws {
        let outcome = try await repl(
            """
            1 + 1
            t = { b = 2, a = 1, 10, 20 }
            t
            function twice(x)
              return x * 2
            end
            twice(_.a + 20)
            print("printed", #t)
            "tab\\there", nil, chorus.null
            chorus.sleep(0)

            """)
        // chorus.sleep returns one nil, which prints as lua.c prints it.
        #expect(
            outcome.stdout == "2\n{ 10, 20, a = 1, b = 2 }\n42\nprinted\t2\n\"tab\\there\"\tnil\tchorus.null\nnil\n")
        #expect(outcome.stderr == "")
        #expect(outcome.status == 0)
    }

    @Test func errorsGoToStderrAndTheSessionGoesOn() async throws {
        let outcome = try await repl("error('boom')\nlocal = 1\n'after'\n")
        #expect(outcome.stdout == "\"after\"\n")
        #expect(outcome.stderr == "stdin:1: boom\nstdin:1: <name> expected near '='\n")
        #expect(outcome.status == 1)
    }

    @Test func aChorusErrorShowsItsRemediation() async throws {
        let outcome = try await repl(#"chorus.call("traiterFactureRecue", {})"# + "\n")
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines.contains { $0.hasPrefix("BUSINESS factures.traiterUneFactureRecue (HTTP 400, codeRetour 20001): ") })
        #expect(lines.contains { $0.hasPrefix("  fix: ") })
        #expect(outcome.status == 8)
    }

    @Test func anUnfinishedChunkAtTheEndIsAnError() async throws {
        let outcome = try await repl("function f()\n  return 1\n")
        #expect(outcome.stderr == "stdin: unfinished chunk at the end of the input\n")
        #expect(outcome.status == 1)
    }

    @Test func eachChunkHasItsOwnTimeout() async throws {
        let outcome = try await repl("chorus.sleep(30)\n'next'\n", ["--timeout", "0.5"])
        #expect(outcome.stderr.contains("time limit of 0.5 s exceeded"))
        #expect(outcome.stdout == "\"next\"\n")
    }

    @Test func executeRunsChunksAndExits() async throws {
        let outcome = try await ChorusSubprocess.run(
            ["repl", "-e", "x = 6", "-e", "x * 7"], environment: environment, directory: home)
        #expect(outcome.stdout == "42\n")
        #expect(outcome.status == 0)
        let exit = try await ChorusSubprocess.run(
            ["repl", "-e", "chorus.exit(5, 'bye')"], environment: environment, directory: home)
        #expect(exit.status == 5)
        #expect(exit.stderr == "bye\n")
    }

    @Test func metaCommandsWorkPiped() async throws {
        let outcome = try await repl(".doc deposerFluxFacture\n.doc chorus.sleep\n.ops consulterCR\n.nope\n")
        #expect(
            outcome.stdout.contains(
                "factures.deposerFluxFacture  POST /cpro/factures/v1/deposer/flux  WRITE (confirmed in prod)"))
        #expect(outcome.stdout.contains("Example payload (the required fields):"))
        #expect(outcome.stdout.contains("chorus.sleep("))
        #expect(outcome.stdout.contains("transverses.consulterCRDetaille"))
        #expect(outcome.stderr == "unknown command .nope (.help lists them)\n")
    }

    @Test func productionWritesAreRefusedWithoutATerminalUnlessYes() async throws {
        let call = #"chorus.call("deposerFluxFacture", {})"# + "\n"
        let refused = try await repl(call, ["--env", "prod"])
        #expect(refused.stderr.contains("stdin is not a terminal, so it is refused (pass --yes to confirm writes)"))
        #expect(refused.stderr.contains("the write was not confirmed"))
        let confirmed = try await repl(call, ["--env", "prod", "--yes"])
        #expect(confirmed.stderr.contains("chorus: factures.deposerFluxFacture in PRODUCTION, confirmed by --yes"))
        #expect(!confirmed.stderr.contains("not confirmed"))
    }

    @Test func saveKeepsWhatRanAsAScript() async throws {
        let script = home.appendingPathComponent("saved.lua").path
        let outcome = try await repl(
            "x = 2\nx * 3\nlocal t = { n = _ } return t\nerror('left out')\nprint(x, _.n)\n.save \(script)\n")
        #expect(outcome.stdout == "6\n{ n = 6 }\n2\t6\nsaved 4 chunk(s) to \(script)\n")
        let saved = try String(contentsOfFile: script, encoding: .utf8)
        #expect(
            saved.split(separator: "\n").dropFirst().joined(separator: "\n")
                == "x = 2\n_ = x * 3\n_ = (function(...)\nlocal t = { n = _ } return t\nend)()\nprint(x, _.n)")
        let run = try await ChorusSubprocess.run(["run", script], environment: environment, directory: home)
        #expect(run.stdout == "2\t6\n")
        #expect(run.status == 0)
    }

    @Test func pipedSessionsKeepNoHistory() async throws {
        _ = try await repl("1\n")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("state/chorus/repl_history").path))
    }
}
