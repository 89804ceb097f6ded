import ChorusTestSupport
import Foundation
import LuaRuntime
import Testing

@Suite struct SandboxTests {
    @Test func dangerousLibrariesAreAbsent() async {
        let run = await LuaTestRun.run("""
            print(io, debug, os.execute, os.exit, os.getenv, os.remove, package.loadlib, dofile, loadfile)
            print(type(os.time), type(os.date), type(os.clock), type(string.format), type(utf8.char), type(coroutine.wrap))
            print(package.cpath, require("os") == os, require("string") == string)
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "nil\tnil\tnil\tnil\tnil\tnil\tnil\tnil\tnil\nfunction\tfunction\tfunction\tfunction\tfunction\tfunction\n\ttrue\ttrue\n")
    }

    @Test func loadAcceptsTextOnly() async {
        let run = await LuaTestRun.run("""
            print(load("return 1 + 1")())
            print(load(string.dump(function() return 1 end)))
            print(pcall(load, "return 1", "x", "b"))
            local env = { y = 5 }
            print(load("return y", "chunk", "t", env)())
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == """
            2
            nil\tattempt to load a binary chunk (mode is 't')
            false\tbad argument #3 to 'load' (only text chunks are allowed: mode must be "t")
            5

            """)
    }

    @Test func collectgarbageIsLimited() async {
        let run = await LuaTestRun.run("print(type(collectgarbage('count')))\ncollectgarbage('stop')")
        #expect(run.output == "number\n")
        #expect(run.errorMessage == "test.lua:2: bad argument #1 to 'collectgarbage' (option 'stop' is not allowed in chorus scripts)")
    }

    @Test func strictGlobals() async {
        let source = """
            counter = 1
            local function bump() counter = counter + 1 end
            bump()
            print(counter)
            local function leak() fresh = true end
            leak()
            """
        let strict = await LuaTestRun.run(source, options: { $0.strictGlobals = true })
        #expect(strict.output == "2\n")
        #expect(strict.errorMessage == "test.lua:5: assignment to undeclared global 'fresh' (declare it at the top level of the script, or use local)")
        let read = await LuaTestRun.run("print(undefined_thing)", options: { $0.strictGlobals = true })
        #expect(read.errorMessage == "test.lua:1: undefined global 'undefined_thing' (strict mode)")
        let lax = await LuaTestRun.run(source)
        #expect(lax.errorMessage == "")
    }

    @Test func requireIsLimitedToTheScriptFolder() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-require-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("lib/deep"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "return { name = 'util' }".write(to: root.appendingPathComponent("util.lua"), atomically: true, encoding: .utf8)
        try "return { name = 'deep' }".write(to: root.appendingPathComponent("lib/deep/init.lua"), atomically: true, encoding: .utf8)
        try "chorus.sleep(0)\nreturn {}".write(to: root.appendingPathComponent("waits.lua"), atomically: true, encoding: .utf8)
        try "local x = = 1".write(to: root.appendingPathComponent("broken.lua"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("escape.lua").path, withDestinationPath: "/etc/hostname")
        let path = root.path
        let run = await LuaTestRun.run("""
            print(require("util").name, require("lib.deep").name, require("util") == require("util"))
            print(select(2, pcall(require, "../secret")))
            print(select(2, pcall(require, "missing")))
            print(select(2, pcall(require, "escape")))
            print(select(2, pcall(require, "waits")):match("waits.lua:1: chorus.sleep cannot wait here") ~= nil)
            local _, broken = pcall(require, "broken")
            print(broken:match("^error loading module 'broken' from file '[^']+/broken.lua':\\n\\t.*broken.lua:1: unexpected symbol near '='$") ~= nil)
            """, options: { $0.moduleRoot = path })
        #expect(run.errorMessage == "")
        #expect(run.output == """
            util\tdeep\ttrue
            module '../secret' not found:
            \tno field package.preload['../secret']
            \tinvalid module name '../secret' (use dotted names of letters, digits and _)
            module 'missing' not found:
            \tno field package.preload['missing']
            \tno file '\(path)/missing.lua'
            \tno file '\(path)/missing/init.lua'
            module 'escape' not found:
            \tno field package.preload['escape']
            \tfile '\(path)/escape.lua' leads outside the script's folder
            true
            true

            """)
    }
}
