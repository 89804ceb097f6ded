import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// `chorus run` end to end: the built binary in a subprocess.
@Suite struct RunCommandTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func script(_ name: String, _ source: String) throws -> String {
        try source.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return name
    }

    func chorus(_ arguments: [String], in directory: URL? = nil) async throws -> ChorusSubprocess.Outcome {
        try await ChorusSubprocess.run(arguments, environment: [:], directory: directory ?? folder)
    }

    @Test func helloExamplePrints() async throws {
        let outcome = try await chorus(["run", "examples/hello.lua", "tester"], in: ChorusSubprocess.packageRoot)
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Hello, tester, from Lua 5.4 inside chorus!")
        #expect(lines.dropFirst().first == #"{"commentaire":null,"erreurs":[],"numeroFluxDepot":"CPP0012345"}"#)
        #expect(lines.last?.hasPrefix("all done: a,b,c in 0.") == true)
        #expect(outcome.stderr == "info: finished script=examples/hello.lua\n")
    }

    @Test func argumentsReachTheScriptAsInLua() async throws {
        let name = try script("args.lua", "print(arg[0], arg[1], arg[2], arg[3], #arg, select('#', ...), arg[-1], arg[-2])")
        let outcome = try await chorus(["run", name, "one", "--two", "-v"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "args.lua\tone\t--two\t-v\t3\t3\trun\tchorus\n")
    }

    @Test func missingScriptIsAUsageError() async throws {
        let outcome = try await chorus(["run", "nope.lua"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "chorus: cannot run nope.lua: no such file\n")
    }

    @Test func directoryIsAUsageError() async throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tool"), withIntermediateDirectories: true)
        _ = try script("tool/main.lua", "print(1)")
        let outcome = try await chorus(["run", "tool"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "chorus: cannot run tool: is a directory, not a Lua script (did you mean tool/main.lua?)\n")
    }

    @Test func syntaxErrorExitsOne() async throws {
        let name = try script("broken.lua", "print('a')\nlocal = 3\n")
        let outcome = try await chorus(["run", name])
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "")
        #expect(outcome.stderr == "chorus: syntax error: broken.lua:2: <name> expected near '='\n")
    }

    @Test func runtimeErrorPrintsATraceback() async throws {
        let name = try script("fail.lua", "local function check(x)\n  error('bad value: ' .. x)\nend\ncheck(42)\n")
        let outcome = try await chorus(["run", name])
        #expect(outcome.status == 1)
        #expect(outcome.stderr == """
            chorus: fail.lua:2: bad value: 42
            stack traceback:
            \tfail.lua:2: in local 'check'
            \tfail.lua:4: in main chunk

            """)
        // -v shows every frame, C functions included.
        let verbose = try await chorus(["run", "-v", name])
        #expect(verbose.stderr.contains("stack traceback:\n\t[C]: in function 'error'\n\tfail.lua:2: in local 'check'\n"))
    }

    /// The frames of the Lua chorus ships (chorus/support.lua...) are hidden unless -v.
    @Test func tracebacksShowOnlyTheScriptsFrames() async throws {
        let name = try script("misuse.lua", "local function report()\n  local list = chorus.structures.search{ bogus = 1 }\n  return list\nend\nprint(report())\n")
        let outcome = try await chorus(["run", "-q", name])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("chorus: misuse.lua:2: bad argument #1 to 'search' (unknown option 'bogus'"))
        #expect(outcome.stderr.hasSuffix("stack traceback:\n\tmisuse.lua:2: in local 'report'\n\tmisuse.lua:5: in main chunk\n"))
        #expect(!outcome.stderr.contains("chorus/"))
        let verbose = try await chorus(["run", "-v", name])
        #expect(verbose.stderr.contains("\tchorus/support.lua:"))
    }

    /// chorus.exit ends the run with the script's code and words: <close> handlers run, the output is
    /// flushed, pcall cannot catch it, no traceback is printed.
    @Test func exitEndsTheRunWithTheChosenCode() async throws {
        let name = try script("exit.lua", """
            local guard <close> = setmetatable({}, { __close = function() print("closed") end })
            chorus.spawn(function() local t <close> = setmetatable({}, { __close = function() print("task closed") end }); chorus.sleep(60) end)
            chorus.sleep(0.01)
            print("before")
            print(pcall(chorus.exit, 3, "2 invoices were rejected"))
            print("not reached")
            """)
        let outcome = try await chorus(["run", "-q", name])
        #expect(outcome.status == 3)
        #expect(outcome.stdout == "before\ntask closed\nclosed\n" || outcome.stdout == "before\nclosed\ntask closed\n", "\(outcome.stdout)")
        #expect(outcome.stderr == "2 invoices were rejected\n")
        let zero = try await chorus(["run", "-q", try script("zero.lua", "print('done')\nchorus.exit()\nprint('not reached')\n")])
        #expect(zero.status == 0)
        #expect(zero.stdout == "done\n")
        #expect(zero.stderr == "")
        let bad = try await chorus(["run", "-q", try script("bad.lua", "chorus.exit(300)\n")])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("chorus: bad.lua:1: bad argument #1 to 'exit' (exit code must be an integer from 0 to 125, got 300)"))
    }

    /// With --json an uncaught error is one JSON object on stderr, as chorus call --json prints it.
    @Test func jsonRunPrintsTheErrorObject() async throws {
        let misuse = try script("misuse.lua", "chorus.structures.search{ bogus = 1 }\n")
        let outcome = try await chorus(["run", "-q", "--json", misuse])
        #expect(outcome.status == 1)
        let object = try JSONValue.parse(outcome.stderr)
        #expect(object["error"]?["code"] == "MISUSE")
        #expect(object["error"]?["exit_code"] == 1)
        #expect(object["error"]?["message"]?.stringValue?.hasPrefix("misuse.lua:1: bad argument #1 to 'search' (unknown option 'bogus'") == true)
        #expect(object["error"]?["traceback"] == "stack traceback:\n\tmisuse.lua:1: in main chunk")
        let plain = try await chorus(["run", "-q", "--json", try script("plain.lua", "error('stop', 0)\n")])
        #expect(try JSONValue.parse(plain.stderr)["error"]?["code"] == "SCRIPT")
        // A chorus.Error keeps its fields and its class's exit code (a flux unknown in the simulator).
        let home = folder.appendingPathComponent("home").path
        let remote = try await ChorusSubprocess.run(
            ["run", "-q", "--json", try script("remote.lua", "chorus.flows.wait('CPP0019999999999999999999')\n")],
            environment: ["XDG_CONFIG_HOME": home + "/config", "XDG_CACHE_HOME": home + "/cache", "XDG_STATE_HOME": home + "/state"],
            directory: folder)
        #expect(remote.status == 8)
        let error = try JSONValue.parse(remote.stderr)["error"]
        #expect(error?["code"] == "BUSINESS")
        #expect(error?["exit_code"] == 8)
        #expect(error?["operation"] == "transverses.consulterCRDetaille")
        #expect(error?["where"] == "remote.lua:1")
        #expect(error?["remediation"] != nil)
    }

    @Test func timeoutAndMemoryLimitExitOne() async throws {
        let loop = try script("loop.lua", "while true do end")
        let timedOut = try await chorus(["run", "--timeout", "0.5", loop])
        #expect(timedOut.status == 1)
        #expect(timedOut.stderr.hasPrefix("chorus: time limit of 0.5 s exceeded (raise it with --timeout SECONDS)\nstack traceback:\n"))
        let hog = try script("hog.lua", "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(50) .. i end")
        let full = try await chorus(["run", "--memory-limit", "20", hog])
        #expect(full.status == 1)
        #expect(full.stderr.hasPrefix("chorus: memory limit of 20 MB exceeded (raise it with --memory-limit MB)\n"))
    }

    @Test func badOptionsAreUsageErrors() async throws {
        let name = try script("ok.lua", "print(1)")
        let negative = try await chorus(["run", "--timeout=-1", name])
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--timeout must be a number of seconds greater than 0"))
        let noScript = try await chorus(["run"])
        #expect(noScript.status == 2)
        #expect(noScript.stderr.contains("Missing expected argument '<SCRIPT>'"))
    }

    @Test func ctrlCCancelsTheRunCleanly() async throws {
        let name = try script("wait.lua", "print('waiting')\nchorus.sleep(30)\nprint('not reached')")
        // A shell delivers the signal the way a terminal would, once the script has started.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.currentDirectoryURL = folder
        shell.arguments = ["-c", """
            '\(ChorusSubprocess.binary()!.path)' run \(name) >out.txt 2>err.txt &
            pid=$!
            for i in $(seq 1 100); do grep -q waiting out.txt 2>/dev/null && break; sleep 0.1; done
            kill -INT $pid
            wait $pid
            echo $? >status.txt
            """]
        try shell.run()
        shell.waitUntilExit()
        let read = { (file: String) in (try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)) ?? "" }
        #expect(read("status.txt") == "130\n")
        #expect(read("out.txt") == "waiting\n")
        #expect(read("err.txt") == "\nchorus: interrupted, stopping the run (press Ctrl-C again to exit at once)\nchorus: run cancelled\n")
    }

    @Test func stdoutIsForPrintAndStderrForLogs() async throws {
        let name = try script("log.lua", "print('data')\nchorus.log.debug('hidden')\nchorus.log.info('shown', {n = 1})\nchorus.log.warn('careful')")
        let normal = try await chorus(["run", name])
        #expect(normal.stdout == "data\n")
        #expect(normal.stderr == "info: shown n=1\nwarning: careful\n")
        let verbose = try await chorus(["run", "-v", name])
        #expect(verbose.stderr == "debug: hidden\ninfo: shown n=1\nwarning: careful\n")
        let quiet = try await chorus(["run", "-q", name])
        #expect(quiet.stderr == "warning: careful\n")
    }

    @Test func versionHelpAndCompletion() async throws {
        let version = try await chorus(["--version"])
        #expect(version.stdout == "0.1.0\n")
        let help = try await chorus(["--help"])
        #expect(help.stdout.contains("chorus run examples/hello.lua"))
        let runHelp = try await chorus(["run", "--help"])
        #expect(runHelp.stdout.contains("--memory-limit <MB>"))
        #expect(runHelp.stdout.contains("chorus run --timeout 30 report.lua"))
        for shell in ["bash", "zsh", "fish"] {
            let completion = try await chorus(["--generate-completion-script", shell])
            #expect(completion.status == 0)
            #expect(completion.stdout.contains("chorus"))
        }
    }
}

extension RunCommandTests {
    /// An uncaught chorus.Error exits with the code of its class (and the process shuts down cleanly).
    @Test func uncaughtChorusErrorsExitWithTheirClassCode() async throws {
        let name = try script("health.lua", "chorus.health()")
        let outcome = try await chorus(["run", "--env", "sandbox", name])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("chorus: health.lua:1: CONFIG: missing technical account login and technical account password: set CHORUS_TECH_LOGIN and CHORUS_TECH_PASSWORD, or tech_login and tech_password in a profile"))
        #expect(!outcome.stderr.contains("Fatal error"))
    }
}
