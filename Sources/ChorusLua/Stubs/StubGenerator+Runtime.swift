import ChorusAPI
import LuaRuntime

extension StubGenerator {
    /// A context whose client is never created: for reading the module's shape without running it.
    public static var inertContext: ChorusLuaContext {
        ChorusLuaContext(
            clients: ClientProvider { () async throws(ChorusError) -> ChorusClient in
                throw ChorusError(code: .config, message: "this run has no Chorus Pro client")
            },
            files: FilePolicy(roots: []))
    }

    /// The stubs of this build: a VM with every library installed, read for its documentation.
    public static func currentStubs() async throws -> String {
        let runner = try ScriptRunner(options: LuaRunOptions(namespace: ChorusModule.namespace, output: { _ in }), libraries: ChorusModule.libraries(inertContext))
        return stubs(documentation: await runner.documentation, summaries: await runner.librarySummaries)
    }
}
