import ChorusTestSupport
import LuaRuntime
import Testing

@Suite struct ValueConversionTests {
    @Test func nullEmptyObjectsAndArraysRoundTripThroughJSON() async {
        let run = await LuaTestRun.run("""
            local doc = chorus.json.decode('{"a":[],"b":{},"c":null,"d":[1,{"e":[]}]}')
            print(doc.c == chorus.null, getmetatable(doc.a) ~= getmetatable(doc.b))
            print(chorus.json.encode(doc))
            print(chorus.json.encode({ list = chorus.array(), map = chorus.object(), empty = {} }))
            print(chorus.json.encode({ 1, 2.5, "x", true, chorus.null }))
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == """
            true\ttrue
            {"a":[],"b":{},"c":null,"d":[1,{"e":[]}]}
            {"empty":{},"list":[],"map":{}}
            [1,2.5,"x",true,null]

            """)
    }

    @Test func returnedValuesReachSwift() async throws {
        let run = await LuaTestRun.run("return 42, 1.5, 'é', chorus.null, {x = {1, 2}}, chorus.array(), '\\xff\\x00'")
        let values = try run.result.get()
        #expect(values == [.integer(42), .number(1.5), .string("é"), .null, .object(["x": .array([1, 2])]), .array([]), .bytes([0xFF, 0])])
    }

    @Test(arguments: [
        ("chorus.json.encode({1, 2, x = 3})", "test.lua:1: bad argument #1 to 'encode' (table mixes array items and named fields ('x'); use one or the other)"),
        ("chorus.json.encode({[1] = 1, [3] = 3})", "test.lua:1: bad argument #1 to 'encode' (array has a hole at index 2; use chorus.null for an explicit null)"),
        ("local t = {}; t.self = t; chorus.json.encode(t)", "test.lua:1: bad argument #1 to 'encode' (table contains a cycle (at .self))"),
        ("chorus.json.encode({f = print})", "test.lua:1: bad argument #1 to 'encode' (cannot convert a function value (at .f))"),
        ("chorus.json.encode({[true] = 1})", "test.lua:1: bad argument #1 to 'encode' (table has a key of type boolean (boolean); only string keys or 1..n are allowed)"),
        ("chorus.json.encode({a = math.huge})", "test.lua:1: bad argument #1 to 'encode' (cannot encode inf at .a: JSON has no NaN or infinity)"),
        ("chorus.json.encode('\\xff')", "test.lua:1: bad argument #1 to 'encode' (cannot encode a binary (non-UTF-8) string; encode it with chorus.base64 first)"),
        ("local t = {}; local c = t; for i = 1, 300 do c.n = {}; c = c.n end; chorus.json.encode(t)",
         "test.lua:1: bad argument #1 to 'encode' (tables nested deeper than 200 levels)"),
        ("chorus.json.decode('{\"a\":}')", "test.lua:1: invalid JSON at line 1, column 6: unexpected '}', expected a value"),
    ])
    func unconvertibleValuesAreNamed(source: String, message: String) async {
        let run = await LuaTestRun.run(source)
        #expect(run.errorMessage == message)
    }

    @Test func nonUTF8StringsSurviveAsBytes() async {
        let run = await LuaTestRun.run("""
            local blob = "%PDF\\xff\\xfe\\x00end"
            local b64 = chorus.base64.encode(blob)
            print(b64, chorus.base64.decode(b64) == blob, #chorus.base64.decode(b64))
            chorus.log.info(blob)
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "JVBERv/+AGVuZA==\ttrue\t10\n")
        // Control characters are escaped in logs (a script cannot forge lines).
        #expect(run.logs == ["info: %PDF\u{FFFD}\u{FFFD}\\x00end"])
    }
}
