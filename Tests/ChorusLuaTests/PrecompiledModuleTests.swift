import ChorusAPI
import ChorusLua
@testable import LuaRuntime
import Testing

/// The `chorus` module's Lua and the runtime's own load from the bytecode the build made: none of
/// their chunks falls back to compiling its text (which would only cost start-up time, silently).
@Suite struct PrecompiledModuleTests {
    @Test func everyShippedChunkOfARunLoadsFromBytecode() async throws {
        let context = ChorusLuaContext(
            clients: ClientProvider { () async throws(ChorusError) -> ChorusClient in
                throw ChorusError(code: .config, message: "no client in this test")
            },
            files: FilePolicy(roots: []))
        let runner = try ScriptRunner(
            options: LuaRunOptions(namespace: ChorusModule.namespace, output: { _ in }),
            libraries: ChorusModule.libraries(context))
        let loaded = await runner.chunksLoaded
        #expect(loaded.fromText == [])
        let expected = ["prelude", "tasks", "checks", "csv", "domains", "flows", "invoices", "structures", "support"]
        #expect(loaded.fromBytecode.sorted() == expected.map { "@chorus/\($0).lua" }.sorted())
    }
}
