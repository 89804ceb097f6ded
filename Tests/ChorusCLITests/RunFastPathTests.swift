import ArgumentParser
@testable import ChorusCLI
import Testing

/// `chorus run`'s direct parse (`Run.fastPath`) against ArgumentParser's: for every command line it
/// takes, the same `Run`; for everything else, nil, so the full parser gives its usual help, error
/// and exit code.
@Suite struct RunFastPathTests {
    /// Command lines the direct parse must take.
    static let taken: [[String]] = [
        ["run", "s.lua"],
        ["run", "s.lua", "a", "--b", "-v", "--timeout", "3", "--help", "-h", "--version", "--", "x"],
        ["run", "--timeout", "2.5", "--memory-limit", "0", "--max-inflight", "3", "--allow-path", ".",
         "--allow-path", "/tmp", "--strict", "s.lua", "x"],
        ["run", "--timeout=2", "--memory-limit=64", "--max-inflight=1", "--allow-path=a b", "s.lua"],
        ["run", "-v", "-v", "-q", "--json", "--env", "sim", "--profile", "p", "--config", "c.toml", "dir/s.lua"],
        ["run", "--verbose", "--quiet", "--verbose", "s.lua", "--", "x"],
        ["run", "--env=sandbox", "--profile=p", "s.lua"],
        ["run", "--timeout", "1e3", "s.lua"],
        ["run", "--memory-limit", "+5", "s.lua"],
        ["run", "--env", "", "s.lua"],
        ["run", "s.lua", "--timeout", "5", "--env", "prod"],
        ["run", "--timeout", "0.001", "--memory-limit", "1048576", "examples/hello.lua", "tester"],
    ]

    /// Command lines left to the full parser (help, errors, unusual forms).
    static let leftToTheParser: [[String]] = [
        [], ["--version"], ["--help"], ["doctor"], ["runs", "s.lua"], ["run"], ["run", "--help"], ["run", "-h"],
        ["run", "--timeout", "0", "s.lua"], ["run", "--timeout", "abc", "s.lua"], ["run", "--timeout", "-1", "s.lua"],
        ["run", "--timeout=-1", "s.lua"], ["run", "--timeout", "nan", "s.lua"], ["run", "--timeout", "inf", "s.lua"],
        ["run", "--bogus", "s.lua"], ["run", "-vq", "s.lua"], ["run", "-vv", "s.lua"],
        ["run", "--timeout", "1", "--timeout", "2", "s.lua"], ["run", "--env", "a", "--env", "b", "s.lua"],
        ["run", "--strict", "--strict", "s.lua"], ["run", "--json", "--json", "s.lua"], ["run", "-q", "-q", "s.lua"],
        ["run", "--max-inflight", "0", "s.lua"], ["run", "--memory-limit", "-1", "s.lua"],
        ["run", "--memory-limit", "99999999", "s.lua"], ["run", "--memory-limit", "1.5", "s.lua"],
        ["run", "-", "s.lua"], ["run", "--", "s.lua"], ["run", "--strict=yes", "s.lua"], ["run", "--verbose=2", "s.lua"],
        ["run", "--timeout"], ["run", "--timeout", "--strict", "s.lua"], ["run", "--env"], ["run", "--allow-path"],
        ["run", "--strict"], ["run", "-x", "s.lua"], ["run", "--Timeout", "3", "s.lua"], ["run", "--profile=", "s.lua"],
        ["run", "--timeout=", "s.lua"], ["run", "--allow-path=", "s.lua"],
    ]

    /// What `run` holds, field by field.
    static func describe(_ run: Run) -> String {
        let g = run.global
        return "timeout=\(String(describing: run.timeout)) memoryLimit=\(run.memoryLimit) strict=\(run.strict) "
            + "maxInflight=\(run.maxInflight) allowPath=\(run.allowPath) profile=\(String(describing: g.profile)) "
            + "env=\(String(describing: g.env)) config=\(String(describing: g.config)) json=\(g.json) "
            + "verbose=\(g.verbose) quiet=\(g.quiet) script=\(run.script) arguments=\(run.arguments)"
    }

    /// What the full parser makes of `arguments`: a `Run`'s fields, or its message and exit code.
    static func fullParse(_ arguments: [String]) -> String {
        do {
            let command = try Chorus.parseAsRoot(arguments)
            guard let run = command as? Run else { return "another command: \(type(of: command))" }
            return describe(run)
        } catch {
            return "exit \(Chorus.exitCode(for: error).rawValue): \(Chorus.fullMessage(for: error))"
        }
    }

    @Test(arguments: taken) func takesTheCommonLinesAsTheFullParserDoes(_ arguments: [String]) throws {
        let fast = try #require(Run.fastPath(arguments), "the direct parse should take \(arguments)")
        #expect(Self.describe(fast) == Self.fullParse(arguments))
    }

    @Test(arguments: leftToTheParser) func leavesEverythingElseToTheFullParser(_ arguments: [String]) {
        #expect(Run.fastPath(arguments) == nil, "\(arguments) is for the full parser: \(Self.fullParse(arguments))")
    }

    /// A new option of `run` (or a global one) must be taught to the direct parse: it sets every field.
    @Test func theDirectParseKnowsEveryOption() {
        let run = Mirror(reflecting: Run()).children.compactMap(\.label)
        #expect(run == ["_timeout", "_memoryLimit", "_strict", "_maxInflight", "_allowPath", "_global", "_script", "_arguments"])
        let global = Mirror(reflecting: GlobalOptions()).children.compactMap(\.label)
        #expect(global == ["_profile", "_env", "_config", "_json", "_verbose", "_quiet"])
    }

    @Test func theDefaultsAreTheFullParsersDefaults() throws {
        let fast = try #require(Run.fastPath(["run", "s.lua"]))
        #expect(Self.describe(fast) == Self.fullParse(["run", "s.lua"]))
        #expect(fast.memoryLimit == Run.defaultMemoryLimitMB && fast.maxInflight == Run.defaultMaxInflight)
        #expect(fast.timeout == nil && fast.allowPath.isEmpty && fast.global.verbose == 0)
    }
}
