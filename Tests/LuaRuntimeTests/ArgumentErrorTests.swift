import ChorusTestSupport
import LuaRuntime
import Testing

/// Every host function refuses wrong argument types with Lua's stock message, at the caller's line.
@Suite struct ArgumentErrorTests {
    @Test(arguments: [
        ("chorus.json.encode()", "bad argument #1 to 'encode' (cannot encode nil (use chorus.null for JSON null))"),
        ("chorus.json.encode({}, 5)", "bad argument #2 to 'encode' (table expected, got number)"),
        ("chorus.json.encode({}, {prety = true})", "bad argument #2 to 'encode' (unknown option 'prety' (did you mean 'pretty'?))"),
        ("chorus.json.decode()", "bad argument #1 to 'decode' (string expected, got no value)"),
        ("chorus.json.decode({})", "bad argument #1 to 'decode' (string expected, got table)"),
        ("chorus.base64.encode(nil)", "bad argument #1 to 'encode' (string expected, got nil)"),
        ("chorus.base64.decode(true)", "bad argument #1 to 'decode' (string expected, got boolean)"),
        ("chorus.base64.decode('ab$c')", "invalid base64 at position 3: '$' is not a base64 character"),
        ("chorus.log.info()", "bad argument #1 to 'info' (string expected, got no value)"),
        ("chorus.log.warn('x', 5)", "bad argument #2 to 'warn' (table expected, got number)"),
        ("chorus.log.error('x', {1, 2})", "bad argument #2 to 'error' (fields must be a table of named values)"),
        ("chorus.time.iso('soon')", "bad argument #1 to 'iso' (number expected, got string)"),
        ("chorus.array(5)", "bad argument #1 to 'array' (table expected, got number)"),
        ("chorus.object('x')", "bad argument #1 to 'object' (table expected, got string)"),
        ("chorus.array(chorus.null)", "bad argument #1 to 'array' (table expected, got chorus.null)"),
        ("chorus.sleep('soon')", "bad argument #1 to 'sleep' (number expected, got string)"),
        ("chorus.sleep(-1)", "bad argument #1 to 'sleep' (seconds must be a number from 0 to 1000000000 (about 31 years))"),
        ("chorus.sleep()", "bad argument #1 to 'sleep' (number expected, got no value)"),
        ("chorus.spawn()", "bad argument #1 to 'spawn' (function expected, got no value)"),
        ("chorus.spawn(42)", "bad argument #1 to 'spawn' (function expected, got number)"),
        ("chorus.all()", "bad argument #1 to 'all' (table expected, got no value)"),
        ("chorus.all({print, 3})", "bad argument #1 to 'all' (item 2 is a number, expected a function)"),
        ("chorus.all({}, 'x')", "bad argument #2 to 'all' (table expected, got string)"),
        ("chorus.all({}, {setle = true})", "bad argument #2 to 'all' (unknown option 'setle' (did you mean 'settle'?); valid: limit, settle)"),
        ("chorus.all({}, {limit = 0})", "bad argument #2 to 'all' (limit must be an integer >= 1)"),
    ])
    func wrongArgumentsGiveStockMessages(source: String, message: String) async {
        let run = await LuaTestRun.run("local x = 1\n" + source)
        #expect(run.errorMessage == "test.lua:2: " + message)
        #expect(run.error.map(isRuntime) == true)
    }

    @Test func argumentErrorsNameTheFunctionAsCalled() async {
        let run = await LuaTestRun.run("local enc = chorus.json.encode\nenc(print)")
        #expect(run.errorMessage == "test.lua:2: bad argument #1 to 'enc' (cannot convert a function value)")
    }

    @Test func argumentErrorsAreCatchable() async {
        let run = await LuaTestRun.run("print(pcall(chorus.json.decode, '['))\nprint(chorus.try(chorus.sleep, 'x'))")
        #expect(run.errorMessage == "")
        #expect(run.output == "false\tinvalid JSON at line 1, column 2: unexpected end of input, expected a value\nnil\tbad argument #1 to 'sleep' (number expected, got string)\n")
    }

    private func isRuntime(_ error: LuaError) -> Bool {
        if case .runtime = error { return true }
        return false
    }
}
