import ChorusTestSupport
import Foundation
import LuaRuntime
import Testing

@Suite struct AsyncTests {
    @Test func allReturnsResultsInOrder() async {
        let run = await LuaTestRun.run("""
            local r = chorus.all({
              function() chorus.sleep(0.03); return "slow" end,
              function() return "instant" end,
              function() chorus.sleep(0.01); return 3 end,
            })
            print(#r, r[1], r[2], r[3])
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "3\tslow\tinstant\t3\n")
    }

    @Test func firstErrorIsRaisedAndTheOthersAreCancelled() async {
        let run = await LuaTestRun.run("""
            local finished = {}
            local ok, err = pcall(chorus.all, {
              function() chorus.sleep(0.01); error("first failure") end,
              function() chorus.sleep(0.2); finished[#finished + 1] = "slow" end,
              function() chorus.sleep(0.3); error("never raised") end,
            })
            print(ok, err)
            chorus.sleep(0.4)
            print(#finished)
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "false\ttest.lua:3: first failure\n0\n")
    }

    @Test func settleReturnsResultsAndErrors() async {
        let run = await LuaTestRun.run("""
            local results, errors = chorus.all({
              function() return "a" end,
              function() error("b failed", 0) end,
              function() chorus.sleep(0); return "c" end,
            }, { settle = true })
            print(results[1], results[2], results[3], errors[1], errors[2], errors[3])
            """)
        #expect(run.output == "a\tnil\tc\tnil\tb failed\tnil\n")
    }

    @Test func limitRunsAtMostNAtOnceAndKeepsOrder() async {
        let probe = TestProbe()
        let run = await LuaTestRun.run("""
            local fns = {}
            for i = 1, 12 do fns[i] = function() return probe.io(0.01, i * 10) end end
            local r = chorus.all(fns, { limit = 3 })
            print(#r, r[1], r[12])
            """, libraries: [probe.library])
        #expect(run.errorMessage == "")
        #expect(run.output == "12\t10\t120\n")
        #expect(probe.peak == 3)
    }

    @Test func operationsInFlightAreCapped() async {
        let probe = TestProbe()
        let run = await LuaTestRun.run("""
            local fns = {}
            for i = 1, 20 do fns[i] = function() return probe.io(0.01, i) end end
            local r = chorus.all(fns)
            print(#r, r[20])
            """, options: { $0.maxInFlight = 4 }, libraries: [probe.library])
        #expect(run.output == "20\t20\n")
        #expect(probe.started == 20)
        #expect(probe.peak == 4)
    }

    @Test func spawnAndWait() async {
        let run = await LuaTestRun.run("""
            local t = chorus.spawn(function(a, b) chorus.sleep(0.01); return a + b, "done" end, 2, 3)
            print(tostring(t):match("^chorus.Task"))
            print(t:wait())
            local bad = chorus.spawn(function() chorus.sleep(0); error("spawned failure", 0) end)
            print(pcall(bad.wait, bad))
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "chorus.Task\n5\tdone\nfalse\tspawned failure\n")
    }

    @Test func aFailedTaskNobodyWaitsForFailsTheRun() async {
        let run = await LuaTestRun.run("""
            chorus.spawn(function() chorus.sleep(0.01); error("lost task", 0) end)
            print("main done")
            """)
        #expect(run.output == "main done\n")
        #expect(run.errorMessage == "lost task")
    }

    @Test func theRunWaitsForSpawnedTasks() async {
        let run = await LuaTestRun.run("""
            chorus.spawn(function() chorus.sleep(0.05); print("background finished") end)
            print("main done")
            """)
        #expect(run.output == "main done\nbackground finished\n")
    }

    @Test func userCoroutinesForwardPendingOperations() async {
        let run = await LuaTestRun.run("""
            local gen = coroutine.wrap(function()
              for i = 1, 3 do
                chorus.sleep(0)
                coroutine.yield(i)
              end
            end)
            print(gen(), gen(), gen())
            local co = coroutine.create(function(x)
              local y = coroutine.yield(x + 1)
              chorus.sleep(0.01)
              return y * 2
            end)
            print(coroutine.resume(co, 1))
            print(coroutine.resume(co, 21))
            print(coroutine.status(co))
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "1\t2\t3\ntrue\t2\ntrue\t42\ndead\n")
    }

    @Test func tenThousandSleepingTasksRunConcurrently() async {
        // Concurrency is proved by the tasks themselves, not by the clock: run one after the other,
        // at most one would ever be asleep (speed is measured in ./scripts/bench).
        let run = await LuaTestRun.run("""
            local fns, asleep, most = {}, 0, 0
            for i = 1, 10000 do
              fns[i] = function()
                asleep = asleep + 1
                if asleep > most then most = asleep end
                chorus.sleep(0.1)
                asleep = asleep - 1
                return i
              end
            end
            local r = chorus.all(fns)
            local sum = 0
            for i = 1, #r do sum = sum + r[i] end
            print(#r, sum, most > 1)
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "10000\t50005000\ttrue\n")
    }
}
