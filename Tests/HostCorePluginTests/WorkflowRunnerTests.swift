import ChorusAPI
import ChorusLua
import Foundation
import HostCore
import LuaRuntime
import Testing

/// The plugin host as the scheduler sees it: how each ending of a run reads, cancellation, and the
/// log lines (redacted).
@Suite struct WorkflowRunnerTests {
    static let main = """
        chorus.workflow{ name = "ok", every = "1m", run = function(ctx)
          print("plugin " .. ctx.plugin .. ", workflow " .. ctx.workflow .. ", " .. ctx.time_zone)
          chorus.log.info("password is hunter2-secret")
        end }
        chorus.workflow{ name = "network", every = "1m", run = function()
          error(setmetatable({ code = "NETWORK", message = "the gateway did not answer" }, chorus.Error))
        end }
        chorus.workflow{ name = "business", every = "1m", run = function()
          error(setmetatable({ code = "BUSINESS", message = "refused" }, chorus.Error))
        end }
        chorus.workflow{ name = "script", every = "1m", run = function() local x = nil; return x.y end }
        chorus.workflow{ name = "exit0", every = "1m", run = function() chorus.exit(0) end }
        chorus.workflow{ name = "exit3", every = "1m", run = function() chorus.exit(3, "gave up") end }
        chorus.workflow{ name = "slow", every = "1m", run = function() print("started"); chorus.sleep(60) end }
        """

    func host(_ fixture: PluginFixture) -> PluginHost {
        fixture.plugin("jobs", main: Self.main)
        var options = PluginHost.Options(
            context: { _ in
                ChorusLuaContext(
                    clients: ClientProvider { () async throws(ChorusError) -> ChorusClient in throw ChorusError(code: .config, message: "none") },
                    files: FilePolicy(roots: []))
            }, storePath: fixture.storePath)
        options.redactor = Redactor(secrets: ["hunter2-secret"])
        return PluginHost(catalog: PluginCatalog(searchPath: fixture.searchPath), options: options)
    }

    func workflow(_ name: String) -> WorkflowDeclaration { .init(plugin: "jobs", name: name, timing: .every(seconds: 60)) }

    @Test func eachEndingReadsAsAnOutcome() async throws {
        let fixture = PluginFixture()
        let host = host(fixture)
        let lines = Lines()
        #expect(await host.run(workflow("ok"), log: { lines.append($0) }) == .succeeded)
        #expect(lines.all == ["plugin jobs, workflow ok, Europe/Paris", "info: password is <redacted>"])
        #expect(await host.run(workflow("network"), log: { _ in }) == .failed(code: "NETWORK", message: "the gateway did not answer"))
        #expect(await host.run(workflow("business"), log: { _ in }) == .failed(code: "BUSINESS", message: "refused"))
        #expect(await host.run(workflow("script"), log: { _ in })
            == .failed(code: nil, message: "jobs/main.lua:11: attempt to index a nil value (local 'x')"))
        #expect(await host.run(workflow("exit0"), log: { _ in }) == .succeeded)
        #expect(await host.run(workflow("exit3"), log: { _ in }) == .failed(code: nil, message: "gave up"))
        #expect(await host.run(workflow("missing"), log: { _ in }) == .failed(code: "CONFIG", message: "plugin 'jobs' has no workflow 'missing'"))
        #expect(await host.run(.init(plugin: "nobody", name: "x", timing: .every(seconds: 60)), log: { _ in })
            == .failed(code: "CONFIG", message: "plugin 'nobody' is not enabled"))
    }

    /// A cancelled task ends the run at once and reads as cancelled.
    @Test func cancellingTheTaskCancelsTheRun() async throws {
        let fixture = PluginFixture()
        let host = host(fixture)
        let started = AsyncStream<Void>.makeStream()
        let run = Task { await host.run(workflow("slow"), log: { line in if line == "started" { started.continuation.yield() } }) }
        for await _ in started.stream { break }
        let cancelled = Date()
        run.cancel()
        #expect(await run.value == .cancelled)
        // Proof the 60-second sleep did not run out (a generous bound on a loaded machine).
        #expect(Date().timeIntervalSince(cancelled) < 30)
    }
}
