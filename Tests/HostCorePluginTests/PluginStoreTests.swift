import Foundation
import HostCore
import JSONValue
import LuaRuntime
import Testing

/// chorus.store: per-plugin values kept between runs, and an update that loses nothing when runs
/// write one key at once.
@Suite struct PluginStoreTests {
    @Test func valuesLastBetweenRunsAndStayWithTheirPlugin() async {
        let fixture = PluginFixture()
        fixture.plugin("a", permissions: ["store"], main: """
            chorus.command{ name = "put", run = function()
              chorus.store.set("n", 1)
              chorus.store.set("doc", { list = { 1, 2 }, name = "x" })
              chorus.store.set("gone", true)
              chorus.store.delete("gone")
              chorus.store.set("other:1", "y")
            end }
            chorus.command{ name = "get", run = function()
              local doc = chorus.store.get("doc")
              print(chorus.store.get("n"), doc.name, #doc.list, chorus.store.get("gone"), chorus.store.get("never"))
              print(table.concat(chorus.store.keys(), ","), table.concat(chorus.store.keys("other:"), ","))
              print(chorus.store.update("n", function(v) return v + 41 end), chorus.store.get("n"))
              print(pcall(function() chorus.store.set("", 1) end))
              print(pcall(function() chorus.store.set("f", print) end))
            end }
            """)
        fixture.plugin("b", permissions: ["store"], main: """
            chorus.command{ name = "get", run = function() print(chorus.store.get("n"), #chorus.store.keys()) end }
            """)
        let host = fixture.host()
        #expect(await host.command("a", "put").error == nil)
        let get = await host.command("a", "get")
        #expect(get.error == nil)
        #expect(get.output == """
            1\tx\t2\tnil\tnil
            doc,n,other:1\tother:1
            42\t42
            false\ta/main.lua:13: bad argument #1 to 'set' (a key must be a string of 1 to 256 bytes)
            false\ta/main.lua:14: bad argument #2 to 'set' (cannot convert a function value)

            """)
        #expect(await host.command("b", "get").output == "nil\t0\n")
    }

    /// Eight runs at once, each adding 1 twenty times through update (with a wait inside the function,
    /// so the runs interleave): nothing is lost.
    @Test func updateIsAtomicUnderConcurrentRuns() async throws {
        let fixture = PluginFixture()
        fixture.plugin("counter", permissions: ["store"], main: """
            chorus.command{ name = "bump", run = function()
              for _ = 1, 20 do
                chorus.store.update("count", function(v) chorus.sleep(0.001); return (v or 0) + 1 end)
              end
            end }
            chorus.command{ name = "show", run = function() print(chorus.store.get("count")) end }
            """)
        let host = fixture.host()
        let errors = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { await host.command("counter", "bump").error } }
            var all: [String] = []
            for await error in group { if let error { all.append(error) } }
            return all
        }
        #expect(errors == [])
        #expect(await host.command("counter", "show").output == "160\n")
    }

    /// Two stores on one file, as two processes would have: the compare-and-swap holds across them.
    @Test func updatesAcrossTwoStoreConnectionsLoseNothing() async throws {
        let fixture = PluginFixture()
        let path = fixture.storePath
        let first = try PluginStore(path: path)
        let second = try PluginStore(path: path)
        await withTaskGroup(of: Void.self) { group in
            for store in [first, second, first, second] {
                group.addTask {
                    for _ in 0..<50 {
                        while true {
                            let read = try! store.get(plugin: "p", key: "k")
                            let next: JSONValue = .integer((read.value?.integerValue ?? 0) + 1)
                            if try! store.put(plugin: "p", key: "k", value: next, expectedVersion: read.version) { break }
                        }
                    }
                }
            }
        }
        #expect(try first.get(plugin: "p", key: "k").value == .integer(200))
        #expect(try first.get(plugin: "p", key: "k").version == 200)
    }
}
