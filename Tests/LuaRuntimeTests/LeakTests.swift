import ChorusTestSupport
import LuaRuntime
import Testing

@Suite struct LeakTests {
    /// Runs that succeed, fail, raise Swift errors, time out, get cancelled or run out of memory all
    /// release their lua_State, host function boxes and held Swift errors.
    @Test func everyRunReleasesItsStateAndBoxes() async throws {
        let counter = LiveObjects()
        let probe = TestProbe()
        let sources: [(String, Double?, Int?)] = [
            ("print('ok')", nil, nil),
            ("local t = {}; for i = 1, 1000 do t[i] = {i} end; return t", nil, nil),
            ("error('plain failure')", nil, nil),
            ("for i = 1, 50 do pcall(probe.fail) end; probe.fail()", nil, nil),
            ("local e = select(2, pcall(probe.fail_later, 0)); keep = e; probe.fail_later(0)", nil, nil),
            ("chorus.all({function() chorus.sleep(0.01) error('x') end, function() chorus.sleep(5) end})", nil, nil),
            ("chorus.spawn(function() chorus.sleep(0.01); error('lost') end)", nil, nil),
            ("while true do end", 0.1, nil),
            ("chorus.sleep(10)", 0.1, nil),
            ("local t = {}; for i = 1, 1e9 do t[i] = ('x'):rep(100) end", nil, 8 << 20),
            ("local x = = 1", nil, nil),
        ]
        for (source, timeout, memory) in sources {
            let run = await LuaTestRun.run(source, options: {
                $0.liveObjects = counter
                $0.timeout = timeout
                if let memory { $0.memoryLimit = memory }
            }, libraries: [probe.library])
            _ = run
        }
        #expect(counter.statesCreated.load(ordering: .relaxed) == sources.count)
        #expect(counter.summary == "states=0 boxes=0 errors=0")
    }
}
