import ChorusTestSupport
import Foundation
import LuaRuntime
import Testing

@Suite struct LimitsTests {
    @Test func deadlineStopsAnInfiniteLoopAndPcallCannotCatchIt() async {
        let run = await LuaTestRun.run("""
            local ok = pcall(function() while true do end end)
            print("escaped", ok)
            """, options: { $0.timeout = 0.3 })
        #expect(run.output == "")
        guard case .timeout(let seconds, let traceback) = run.error else {
            Issue.record("expected a timeout, got \(run.result)")
            return
        }
        #expect(seconds == 0.3)
        // The kill surfaced inside pcall (line 1), and again at the next instruction (line 2).
        #expect(traceback.contains("test.lua:2: in main chunk"))
        #expect(run.errorMessage == "time limit of 0.3 s exceeded (raise it with --timeout SECONDS)")
    }

    @Test func deadlineStopsAWaitingScript() async {
        let run = await LuaTestRun.run("chorus.sleep(30)", options: { $0.timeout = 0.2 })
        guard case .timeout = run.error else {
            Issue.record("expected a timeout, got \(run.result)")
            return
        }
    }

    @Test func memoryCapStopsRunawayAllocationAndIsSticky() async {
        let run = await LuaTestRun.run("""
            local t = {}
            local ok, err = pcall(function() for i = 1, 1e9 do t[i] = ("x"):rep(64) .. i end end)
            t = nil
            for i = 1, 10000 do local s = ("y"):rep(100) end
            print("recovered", ok, err)
            """, options: { $0.memoryLimit = 16 << 20 })
        #expect(run.output == "")
        guard case .memory(let limit, _) = run.error else {
            Issue.record("expected the memory cap, got \(run.result)")
            return
        }
        #expect(limit == 16 << 20)
        #expect(run.errorMessage == "memory limit of 16 MB exceeded (raise it with --memory-limit MB)")
    }

    @Test func aHundredMegabyteStringFitsTheDefaultCapButNotASmallOne() async {
        let big = await LuaTestRun.run("local s = string.rep('x', 100 * 1024 * 1024)\nprint(#s, #chorus.base64.encode(s:sub(1, 3000)))")
        #expect(big.errorMessage == "")
        #expect(big.output == "104857600\t4000\n")
        let small = await LuaTestRun.run("local s = string.rep('x', 100 * 1024 * 1024)", options: { $0.memoryLimit = 64 << 20 })
        #expect(small.errorMessage == "memory limit of 64 MB exceeded (raise it with --memory-limit MB)")
    }

    @Test func deepRecursionIsAnOrdinaryError() async {
        let run = await LuaTestRun.run("local function r(n) return r(n + 1) + 1 end\nr(1)")
        #expect(run.errorMessage == "test.lua:1: stack overflow")
        let json = await LuaTestRun.run("local t = {}\nfor i = 1, 1e6 do t = {t} end\nprint(pcall(chorus.json.encode, t))")
        #expect(json.output == "false\tbad argument #1 to '?' (tables nested deeper than 200 levels)\n")
    }

    @Test func cancellationStopsComputeAndWaits() async throws {
        for source in ["while true do end", "chorus.sleep(60)", "pcall(function() while true do pcall(chorus.sleep, 0) end end)"] {
            let runner = try ScriptRunner(options: LuaRunOptions(namespace: "chorus", output: { _ in }))
            let canceller = runner.canceller
            Task {
                try await Task.sleep(for: .milliseconds(100))
                canceller.cancel()
            }
            do {
                _ = try await runner.run(source)
                Issue.record("\(source) was not cancelled")
            } catch {
                guard case .cancelled = error else {
                    Issue.record("expected cancellation of \(source), got \(error)")
                    continue
                }
            }
        }
    }
}
