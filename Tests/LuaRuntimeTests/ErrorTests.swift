import ChorusTestSupport
import LuaRuntime
import Testing

@Suite struct ErrorTests {
    @Test func syntaxErrorsNameChunkAndLine() async {
        let run = await LuaTestRun.run("local a = 1\nlocal b = = 2\n", chunkName: "scripts/broken.lua")
        guard case .syntax(let chunk, let line, let message) = run.error else {
            Issue.record("expected a syntax error, got \(run.result)")
            return
        }
        #expect(chunk == "scripts/broken.lua")
        #expect(line == 2)
        #expect(message == "scripts/broken.lua:2: unexpected symbol near '='")
    }

    @Test func runtimeErrorInNestedPcallInsideACoroutine() async {
        let run = await LuaTestRun.run("""
            local co = coroutine.create(function()
              local ok, err = pcall(function()
                local ok2, err2 = pcall(error, "inner")
                print("inner:", ok2, err2)
                local t = nil
                return t.field
              end)
              print("outer:", ok, err)
              chorus.sleep(0)
              error("after sleep")
            end)
            print(coroutine.resume(co))
            print(coroutine.status(co))
            local function deep() error({ code = "BOOM" }) end
            deep()
            """)
        #expect(run.output == """
            inner:\tfalse\tinner
            outer:\tfalse\ttest.lua:6: attempt to index a nil value (local 't')
            false\ttest.lua:10: after sleep
            dead

            """)
        guard case .runtime(let message, let traceback, let value) = run.error else {
            Issue.record("expected a runtime error, got \(run.result)")
            return
        }
        #expect(message.hasPrefix("table: 0x"))
        #expect(value == .object(["code": "BOOM"]))
        #expect(traceback.contains("test.lua:14: in local 'deep'"))
        #expect(traceback.contains("test.lua:15: in main chunk"))
    }

    @Test func swiftErrorsTravelThroughLuaAndBack() async {
        let probe = TestProbe()
        let run = await LuaTestRun.run("""
            local ok, err = pcall(probe.fail)
            print(ok, tostring(err))
            local r, e = chorus.try(probe.fail_later, 0)
            print(r, tostring(e))
            probe.fail_later(0)
            """, libraries: [probe.library])
        #expect(run.output == "false\tledger full (0 slots left)\nnil\tledger full (3 slots left)\n")
        guard case .host(let error, let traceback) = run.error else {
            Issue.record("expected the Swift error, got \(run.result)")
            return
        }
        #expect((error as? LedgerFull)?.remaining == 3)
        #expect(traceback.contains("test.lua:5: in main chunk"))
    }

    @Test func errorsInsideTasksKeepTheirTraceback() async {
        let run = await LuaTestRun.run("""
            local function worker()
              chorus.sleep(0)
              error("worker failed")
            end
            chorus.all({ worker })
            """)
        #expect(run.errorMessage == "test.lua:3: worker failed")
        #expect(run.error?.traceback?.contains("test.lua:3: in function <test.lua:1>") == true)
        #expect(run.error?.traceback?.contains("test.lua:5: in main chunk") == true)
    }

    @Test func yieldingWhereLuaCannotGivesAClearMessage() async {
        let sort = await LuaTestRun.run("local t = {3, 1, 2}\ntable.sort(t, function(a, b) chorus.sleep(0) return a < b end)")
        #expect(sort.errorMessage == "test.lua:2: chorus.sleep cannot wait here: it would yield across a C-call boundary (inside require, table.sort, string.gsub, a metamethod, or a C iterator); call it from plain Lua code, e.g. in a function called after require returns")
        let gsub = await LuaTestRun.run("local s = ('ab'):gsub('%w', function(c) local r = chorus.all({}); return r end)")
        #expect(gsub.errorMessage.hasPrefix("test.lua:1: chorus.all cannot wait here"))
    }

    @Test func luaWarningsGoToTheLogger() async {
        let run = await LuaTestRun.run("warn('careful', ' now')\nwarn('@off')\nprint('ok')")
        #expect(run.output == "ok\n")
        #expect(run.logs == ["warning: lua: careful now"])
    }

    @Test func yieldFromTheMainChunkIsRefused() async {
        let run = await LuaTestRun.run("coroutine.yield(1)")
        #expect(run.errorMessage == "attempt to yield from outside a coroutine (coroutine.yield was called in a task's main function)")
    }

    /// <namespace>.exit ends the run with the script's code: pcall cannot catch it, the <close>
    /// variables of the main chunk and of running tasks run, nothing after it runs.
    @Test func exitEndsTheRunAndClosesWhatIsOpen() async {
        let run = await LuaTestRun.run("""
            local main <close> = setmetatable({}, { __close = function() print("main closed") end })
            chorus.spawn(function()
              local t <close> = setmetatable({}, { __close = function() print("task closed") end })
              chorus.sleep(60)
            end)
            chorus.sleep(0)
            print(pcall(chorus.exit, 4, "done early"))
            print("not reached")
            """)
        guard case .exit(let code, let message) = run.error else {
            Issue.record("expected an exit, got \(run.result)")
            return
        }
        #expect(code == 4)
        #expect(message == "done early")
        #expect(run.output == "task closed\nmain closed\n" || run.output == "main closed\ntask closed\n")
    }

    @Test func exitRefusesCodesOutOfRange() async {
        let run = await LuaTestRun.run("""
            print(pcall(function() chorus.exit(126) end))
            print(pcall(function() chorus.exit(1.5) end))
            print(pcall(function() chorus.exit(0, {}) end))
            """)
        #expect(run.output == """
            false\ttest.lua:1: bad argument #1 to 'exit' (exit code must be an integer from 0 to 125, got 126)
            false\ttest.lua:2: bad argument #1 to 'exit' (number has no integer representation)
            false\ttest.lua:3: bad argument #2 to 'exit' (string expected, got table)

            """)
    }

    /// Tracebacks for the script's author: its own frames, without the shipped Lua nor C functions.
    @Test func userFramesHideShippedChunks() {
        let traceback = "stack traceback:\n\t[C]: in function 'error'\n\tchorus/support.lua:29: in upvalue 'raise_arg'\n\t(...tail calls...)\n\tjob.lua:2: in local 'f'\n\tjob.lua:4: in main chunk"
        #expect(Traceback.userFrames(traceback, shipped: ["chorus/support.lua"]) == "stack traceback:\n\tjob.lua:2: in local 'f'\n\tjob.lua:4: in main chunk")
        #expect(Traceback.userFrames("stack traceback:\n\t[C]: in ?", shipped: []) == nil)
        // A script in a folder named like the namespace keeps its frames: only the shipped names are hidden.
        #expect(Traceback.userFrames("stack traceback:\n\tchorus/mine.lua:3: in main chunk", shipped: ["chorus/support.lua"]) == "stack traceback:\n\tchorus/mine.lua:3: in main chunk")
    }
}
