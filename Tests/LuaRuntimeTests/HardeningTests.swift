import ChorusTestSupport
import Foundation
import LuaRuntime
import Testing

/// The host side of "a script cannot crash, hang or escape", in process (the CLI's watchdog cases
/// are in ChorusCLITests/HardeningTests).
@Suite struct RuntimeHardeningTests {
    @Test func logMessagesCannotForgeLinesOrColours() async {
        let run = await LuaTestRun.run(#"chorus.log.info("ok\nerror: forged\27[31m", { k = "a\r\nb" })"#)
        #expect(run.errorMessage == "")
        #expect(run.logs.count == 1)
        #expect(run.logs.first?.contains(#"ok\nerror: forged\e[31m"#) == true)
        #expect(run.logs.first?.contains(#"a\r\nb"#) == true)
        #expect(run.logs.first?.contains("\n") == false)
    }

    @Test func isoOfNaNOrOutOfRangeTimesIsRefused() async {
        let run = await LuaTestRun.run("""
            print(pcall(function() return chorus.time.iso(0/0) end))
            print(pcall(function() return chorus.time.iso(math.huge) end))
            print(pcall(function() return chorus.time.iso(-1e300) end))
            print(chorus.time.iso(0), chorus.time.iso(253402300799))
            """)
        let message = "time must be seconds since 1970 between -62135596800 and 253402300799 (years 1 to 9999)"
        #expect(run.output == """
            false\ttest.lua:1: bad argument #1 to 'iso' (\(message), got nan)
            false\ttest.lua:2: bad argument #1 to 'iso' (\(message), got inf)
            false\ttest.lua:3: bad argument #1 to 'iso' (\(message), got -1e+300)
            1970-01-01T00:00:00Z\t9999-12-31T23:59:59Z

            """)
    }

    @Test func markingTheProtectedGlobalsUnderStrictIsRefused() async {
        let run = await LuaTestRun.run("""
            print(pcall(function() return chorus.object(_G) end))
            print(pcall(function() return chorus.array(_G) end))
            print(pcall(function() return undefined_name end))
            """, options: { $0.strictGlobals = true })
        #expect(run.output.hasPrefix("""
            false\ttest.lua:1: bad argument #1 to 'object' (cannot change a protected metatable)
            false\ttest.lua:2: bad argument #1 to 'array' (cannot change a protected metatable)
            false\ttest.lua:3: undefined global 'undefined_name' (strict mode)
            """))
    }

    /// The markers follow setmetatable's rule: any `__metatable` field (even `false`) protects a
    /// table; another metatable is replaced, and a marked table can be marked again.
    @Test func markingFollowsSetmetatablesProtectionRule() async {
        let run = await LuaTestRun.run("""
            local locked = setmetatable({}, { __metatable = false })
            print(pcall(function() return chorus.array(locked) end))
            print(getmetatable(locked))
            local plain = setmetatable({}, { __index = function() return 1 end })
            print(chorus.array(plain) == plain, plain.anything, chorus.json.encode(plain))
            print(chorus.json.encode(chorus.object(chorus.array({}))), chorus.json.encode(chorus.array(chorus.object({}))))
            local twice = chorus.array(chorus.array({}))
            print(getmetatable(twice) == getmetatable(chorus.array({})), chorus.json.encode(twice),
                chorus.json.encode(chorus.object(chorus.object({}))))
            print(pcall(function() return chorus.array(5) end))
            """)
        #expect(run.output == """
            false\ttest.lua:2: bad argument #1 to 'array' (cannot change a protected metatable)
            false
            true\tnil\t[]
            {}\t[]
            true\t[]\t{}
            false\ttest.lua:10: bad argument #1 to 'array' (table expected, got number)

            """)
    }

    @Test func searchpathIsGone() async {
        let run = await LuaTestRun.run("print(package.searchpath)")
        #expect(run.output == "nil\n")
    }

    @Test func aHostResultPastTheCapStopsTheRun() async {
        // 2 MB of JSON text decodes to far more than a 4 MB cap allows: the run stops with the
        // memory message instead of holding what the host built.
        let run = await LuaTestRun.run("""
            local parts = {}
            for i = 1, 50000 do parts[i] = '{"a":[1,2,3],"b":"xxxxxxxx"}' end
            local text = "[" .. table.concat(parts, ",") .. "]"
            parts = nil
            collectgarbage()
            local ok = pcall(chorus.json.decode, text)
            print("survived", ok)
            """, options: { $0.memoryLimit = 6 << 20 })
        #expect(run.output == "")
        #expect(run.errorMessage == "memory limit of 6 MB exceeded (raise it with --memory-limit MB)")
    }

    @Test func tableMoveChecksTheDeadline() async {
        let run = await LuaTestRun.run("print(pcall(table.move, {}, 1, 2^62, 2))", options: { $0.timeout = 0.3 })
        #expect(run.output == "")
        #expect(run.errorMessage == "time limit of 0.3 s exceeded (raise it with --timeout SECONDS)")
    }

    @Test func tableMoveStillMoves() async {
        let run = await LuaTestRun.run("""
            local t = table.move({1, 2, 3}, 1, 3, 2)
            print(t[1], t[2], t[3], t[4])
            local u = table.move({1, 2, 3}, 1, 3, 1, {})
            print(#u, u[3])
            """)
        #expect(run.output == "1\t1\t2\t3\n3\t3\n")
    }

    @Test func aDeadlockWithoutTimeoutFailsAtOnce() async {
        let run = await LuaTestRun.run("""
            local a, b
            a = chorus.spawn(function() chorus.sleep(0); b:wait() end)
            b = chorus.spawn(function() chorus.sleep(0); a:wait() end)
            a:wait()
            """)
        #expect(run.errorMessage.hasPrefix("deadlock: every task is waiting for another task"))
    }

    @Test func spawningAndWaitingInALoopReturnsToTheBaseline() async {
        // Lua's own count after a full collection: flat whatever the number of tasks (before, each
        // task kept its results and record until the run ended). `chorus.all` keeps only a
        // high-water mark of registry slots, reused by the next call.
        let run = await LuaTestRun.run("""
            local function settle() collectgarbage() collectgarbage() return collectgarbage("count") end
            local function sequential(n)
              for i = 1, n do chorus.spawn(function() return i end):wait() end
              return settle()
            end
            local function all(n)
              local fns = {}
              for i = 1, n do fns[i] = function() return i end end
              chorus.all(fns)
              fns = nil
              return settle()
            end
            local base = sequential(1000)
            print(sequential(30000) - base < 16)
            local first = all(10000)
            print(all(10000) - first < 16)
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "true\ntrue\n")
    }

    @Test func aTaskHandleCanBeWaitedForTwice() async {
        let run = await LuaTestRun.run("local t = chorus.spawn(function() return 7 end)\nprint(t:wait(), t:wait())")
        #expect(run.output == "7\t7\n")
    }

    @Test func anUnwaitedFailureStillFailsTheRunAfterItsHandleIsCollected() async {
        let run = await LuaTestRun.run("""
            chorus.spawn(function() chorus.sleep(0.01); error("lost") end)
            collectgarbage()
            chorus.sleep(0.05)
            collectgarbage()
            """)
        #expect(run.errorMessage == "test.lua:1: lost")
    }

    @Test func closeHandlersOfPendingTasksRunWhenTheRunIsCancelled() async throws {
        let lines = OutputLines()
        var options = LuaRunOptions(namespace: "chorus", output: { lines.append($0) }, rawOutput: nil)
        options.timeout = 30
        let runner = try ScriptRunner(options: options)
        let canceller = runner.canceller
        Task {
            while !lines.text.contains("started") { try? await Task.sleep(for: .milliseconds(10)) }
            canceller.cancel()
        }
        do {
            _ = try await runner.run("""
                local t = chorus.spawn(function()
                  local x <close> = setmetatable({}, { __close = function() print("task closed") end })
                  chorus.sleep(30)
                end)
                local y <close> = setmetatable({}, { __close = function() print("main closed") end })
                print("started")
                chorus.sleep(30)
                """)
            Issue.record("the run was not cancelled")
        } catch {
            guard case .cancelled = error else {
                Issue.record("expected a cancellation, got \(error)")
                return
            }
        }
        #expect(lines.text == "started\ntask closed\nmain closed\n")
    }
}

final class OutputLines: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    func append(_ s: String) { lock.withLock { buffer += s } }
    var text: String { lock.withLock { buffer } }
}
