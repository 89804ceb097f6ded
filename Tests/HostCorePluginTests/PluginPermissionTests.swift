import ChorusAPI
import Foundation
import HostCore
import LuaRuntime
import Testing

/// Permissions decide which functions exist; a function left out says which permission it needs, and
/// the host refuses an operation the plugin may not perform before any request.
@Suite struct PluginPermissionTests {
    @Test func withoutChorusWriteTheWriteFunctionsAreAbsent() async {
        let fixture = PluginFixture()
        fixture.plugin("reader", permissions: ["chorus.read"], main: """
            chorus.command{ name = "x", run = function()
              local listed = false
              for name in pairs(chorus.invoices) do if name == "deposit" or name == "submit" then listed = true end end
              print(rawget(chorus.invoices, "deposit"), rawget(chorus.invoices, "submit"), listed, type(chorus.invoices.search))
              print(pcall(chorus.invoices.deposit, { file = "a.xml" }))
              print(rawget(chorus.fs, "read"), rawget(chorus.fs, "write"), chorus.store)
              print(pcall(chorus.fs.write, "x", "y"))
            end }
            """)
        let run = await fixture.host().command("reader", "x")
        #expect(run.error == nil)
        #expect(run.output == """
            nil\tnil\tfalse\tfunction
            false\treader/main.lua:5: chorus.invoices.deposit needs the permission 'chorus.write', which plugin 'reader' does not have: add "chorus.write" to permissions in its plugin.toml
            nil\tnil\tnil
            false\treader/main.lua:7: chorus.fs.write needs the permission 'fs.write', which plugin 'reader' does not have: add "fs.write" to permissions in its plugin.toml

            """)
    }

    @Test func withoutChorusReadOnlyWritesAreLeft() async {
        let fixture = PluginFixture()
        fixture.plugin("writer", permissions: ["chorus.write", "fs.read"], main: """
            chorus.command{ name = "x", run = function()
              print(type(chorus.invoices.deposit), type(chorus.call), rawget(chorus.invoices, "search"), rawget(chorus, "token"))
              print(select(2, pcall(chorus.flows.report, 1)))
              print(type(chorus.fs.read), rawget(chorus.fs, "write"))
            end }
            """)
        let run = await fixture.host().command("writer", "x")
        #expect(run.error == nil)
        #expect(run.output == """
            function\tfunction\tnil\tnil
            writer/main.lua:3: chorus.flows.report needs the permission 'chorus.read', which plugin 'writer' does not have: add "chorus.read" to permissions in its plugin.toml
            function\tnil

            """)
    }

    /// chorus.call reaches any operation: the host refuses a write without chorus.write, a read without
    /// chorus.read, before asking for a client (the test's client provider fails if asked).
    @Test func theHostRefusesAnOperationThePluginMayNotPerform() async {
        let fixture = PluginFixture()
        fixture.plugin("reader", permissions: ["chorus.read"], main: """
            chorus.command{ name = "x", run = function()
              local ok, err = pcall(chorus.call, "factures.soumettreFacture", {})
              print(ok, err.code, err.message)
              print(err.remediation)
            end }
            """)
        fixture.plugin("writer", permissions: ["chorus.write"], main: """
            chorus.command{ name = "x", run = function()
              local ok, err = pcall(chorus.call, "structures.rechercherStructure", {})
              print(ok, err.code, err.message)
            end }
            """)
        let host = fixture.host()
        let reader = await host.command("reader", "x")
        #expect(reader.output == """
            false\tCONFIG\tplugin 'reader' may not call factures.soumettreFacture, a write: it needs the permission 'chorus.write'
            Add "chorus.write" to permissions in the plugin's plugin.toml.

            """)
        let writer = await host.command("writer", "x")
        #expect(writer.output == "false\tCONFIG\tplugin 'writer' may not call structures.rechercherStructure, a read: it needs the permission 'chorus.read'\n")
    }
}
