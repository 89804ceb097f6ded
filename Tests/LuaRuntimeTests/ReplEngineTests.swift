import Foundation
import LuaRuntime
import Testing

/// The REPL engine of `LuaRuntime/Repl`: lua.c's chunk rules, one state across chunks, per-chunk
/// limits, raw inspection and completion, and the formatter.
@Suite struct ReplEngineTests {
    func runner(timeout: Double? = nil) throws -> ScriptRunner {
        try ScriptRunner(options: LuaRunOptions(namespace: "rt", timeout: timeout, output: { _ in }))
    }

    @Test func chunksReadAsLuaDoes() async throws {
        let r = try runner()
        #expect(await r.classify("1 + 1") == .expression(source: "return 1 + 1"))
        #expect(await r.classify("x = 1") == .statements(source: "x = 1"))
        #expect(await r.classify("function f()") == .incomplete)
        #expect(await r.classify("{ 1,") == .incomplete)
        #expect(await r.classify("function f()\nreturn 1\nend") == .statements(source: "function f()\nreturn 1\nend"))
        #expect(await r.classify("local = 1") == .syntaxError("stdin:1: <name> expected near '='"))
        #expect(await r.classify("x = ") == .incomplete)
    }

    @Test func theStateLastsAndUnderscoreHoldsTheLastValue() async throws {
        let r = try runner()
        #expect(await r.evaluate("x = 20").values.isEmpty)
        #expect(await r.evaluate("return x + 1, 'two'").values == [.integer(21), .string("two", truncatedBytes: 0)])
        #expect(await r.evaluate("return _ * 2").values == [.integer(42)])
        let error = await r.evaluate("error('boom')").error
        #expect(error?.description == "stdin:1: boom")
        #expect(await r.evaluate("return x").values == [.integer(20)])
    }

    @Test func eachChunkHasItsOwnDeadlineAndCancellation() async throws {
        let r = try runner(timeout: 0.3)
        guard case .timeout? = await r.evaluate("while true do end").error else {
            Issue.record("expected a timeout")
            return
        }
        // The next chunk runs with a fresh deadline, and a cancelled chunk leaves the state usable.
        #expect(await r.evaluate("return 1").values == [.integer(1)])
        let canceller = r.canceller
        Task {
            try await Task.sleep(for: .milliseconds(100))
            canceller.cancel()
        }
        guard case .cancelled? = await r.evaluate("rt.sleep(0.2) rt.sleep(0.2) rt.sleep(0.2)").error else {
            Issue.record("expected a cancellation")
            return
        }
        #expect(await r.evaluate("rt.sleep(0.01) return 2").values == [.integer(2)])
    }

    @Test func tasksLeftByAFailedChunkDoNotBlockTheNext() async throws {
        let r = try runner()
        let failed = await r.evaluate("rt.spawn(function() rt.sleep(30) end) error('stop')")
        #expect(failed.error?.description == "stdin:1: stop")
        #expect(await r.evaluate("return rt.all{ function() return 3 end }[1]").error == nil)
    }

    @Test func valuesAreInspectedRawWithLimits() async throws {
        let r = try runner()
        let values = await r.evaluate(
            "local t = setmetatable({}, { __index = function() error('metamethod ran') end }) t.me = t t[1] = rt.null return t"
        ).values
        guard case .table(let table)? = values.first else {
            Issue.record("expected a table, got \(values)")
            return
        }
        #expect(table.array == [.null])
        #expect(table.fields.map(\.key) == [.string("me")])
        if case .cycle = table.fields.first?.value {} else { Issue.record("expected a cycle mark") }
        let wide = await r.evaluate("local t = {} for i = 1, 100 do t[i] = i end return t").values
        let formatter = ValueFormatter(namespace: "rt", colour: false)
        #expect(formatter.format(wide).hasSuffix("  50,\n  ... (50 more),\n}"))
        let deep = await r.evaluate("return {{{{{{1}}}}}}").values
        #expect(formatter.format(deep).hasPrefix("{ { { { {...} -- table: 0x"))
    }

    @Test func theFormatterQuotesSortsAndMarks() {
        let formatter = ValueFormatter(namespace: "rt", colour: false)
        let table = InspectedValue.table(
            InspectedTable(
                typeName: nil, array: [.integer(1), .number(2.5)],
                fields: [(.string("a b"), .string("x\n\"y\"", truncatedBytes: 0)), (.string("id"), .bool(true))],
                omitted: 0,
                marker: nil))
        #expect(formatter.render(table) == #"{ 1, 2.5, ["a b"] = "x\n\"y\"", id = true }"#)
        #expect(formatter.render(.error(["code": "X", "message": "m", "where": "stdin:1"])) == "stdin:1: X: m")
        #expect(ValueFormatter(namespace: "rt", colour: true).render(.integer(1)) == "\u{1B}[36m1\u{1B}[0m")
    }

    @Test func completionReadsTablesRaw() async throws {
        let r = try runner()
        _ = await r.evaluate(
            "obj = setmetatable({ alpha = 1 }, { __index = { amethod = function() end, anumber = 2 } })")
        #expect(await r.completeName("ob").candidates == ["obj"])
        #expect(await r.completeName("obj.a").candidates == ["alpha", "amethod", "anumber"])
        #expect(await r.completeName("obj:a").candidates == ["amethod"])
        #expect(await r.completeName("rt.sle").candidates == ["sleep"])
        #expect(await r.completeName("ret").candidates == ["return"])
        #expect(await r.completeName("print(\"rt.sl").candidates.isEmpty)
        #expect(ReplCompletion.analyze("call(\"ab") == .string(partial: "ab", before: "call("))
        #expect(ReplCompletion.analyze("x = 1.5") == .none)
    }
}
