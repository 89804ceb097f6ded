import ChorusTestSupport
import Foundation
import Testing

/// One script, several technical accounts (chorus.as, chorus.client), and the "not found is nil" and
/// download rules, against the built-in simulator as a user runs it.
@Suite struct ScriptAccountsTests {
    let home: URL

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-accounts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("config/chorus"), withIntermediateDirectories: true)
    }

    func run(_ source: String) async throws -> ChorusSubprocess.Outcome {
        try source.write(to: home.appendingPathComponent("script.lua"), atomically: true, encoding: .utf8)
        let samples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices").path
        return try await ChorusSubprocess.run(
            ["run", "-q", "--allow-path", samples, "script.lua", samples],
            environment: ["XDG_CONFIG_HOME": home.path + "/config", "XDG_CACHE_HOME": home.path + "/cache",
                          "XDG_STATE_HOME": home.path + "/state"],
            directory: home)
    }

    @Test func oneScriptActsAsSeveralAccounts() async throws {
        // A profile aimed at another environment than the run's.
        try """
            [profiles.qualif]
            env = "sandbox"
            client_id = "x"
            client_secret_env = "QUALIF_SECRET"
            tech_login = "TECH_1_12345678200051@cpro.fr"
            tech_password_env = "QUALIF_PASSWORD"
            """.write(to: home.appendingPathComponent("config/chorus/config.toml"), atomically: true, encoding: .utf8)
        let outcome = try await run("""
            print("default", #chorus.account.structures(), chorus.env().profile)
            print("as", chorus.as("recipient", function()
              local counts = chorus.all({ function() return #chorus.account.structures() end })
              return counts[1], chorus.env().profile
            end))
            local task = chorus.as("recipient", function() return chorus.spawn(function() return #chorus.account.structures() end) end)
            print("spawned", task:wait())
            print("after", #chorus.account.structures())
            local beta = chorus.client{ profile = "supplier-beta" }
            print("client", beta.profile, beta.account.structures()[1].identifiantStructure)
            local ok, err = pcall(chorus.as, "nobody", chorus.health)
            print("unknown", err.code, err.message)
            ok, err = pcall(chorus.as, "qualif", chorus.health)
            print("elsewhere", err.code, err.message)
            print(pcall(chorus.as, 42, print))
            print(pcall(chorus.as, ("x"):rep(101), print))
            local failures = 0
            for i = 1, 40 do
              local ok, e = pcall(chorus.as, "nobody" .. i, chorus.health)
              if not ok then failures = failures + 1; last = e.message end
            end
            print("many", failures, last)
            """)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == """
            default\t1\tnil
            as\t5\trecipient
            spawned\t5
            after\t1
            client\tsupplier-beta\t98765432100023
            unknown\tCONFIG\tno account named 'nobody': the simulator's seeded accounts are supplier, supplier-beta, recipient
            elsewhere\tCONFIG\tprofile 'qualif' is for the sandbox environment, but this run uses sim
            false\tscript.lua:15: bad argument #1 to 'as' (account name expected (a simulator account such as 'recipient', or a profile), got number)
            false\tscript.lua:16: bad argument #1 to 'as' (an account name is at most 100 characters, without control characters)
            many\t40\ta run may act as at most 32 accounts

            """)
    }

    @Test func notFoundIsNilAndDownloadsAreNamedByNumber() async throws {
        let outcome = try await run("""
            local samples = arg[1]
            print("not found", chorus.structures.get(1), chorus.structures.services(1), chorus.invoices.get(1),
              chorus.structures.find("99999999999999"), chorus.structures.requirements("99999999999999"))
            for _, name in ipairs({ "ubl-invoice.xml", "ubl-credit-note.xml" }) do
              local d = chorus.invoices.deposit{ file = samples .. "/" .. name }
              chorus.flows.wait(d.numeroFluxDepot, { interval = 0.2 })
            end
            local recipient = chorus.client{ profile = "recipient" }
            local received = {}
            while #received < 2 do
              chorus.sleep(0.2)
              received = recipient.invoices.search{ side = "recipient", statutCourant = "MISE_A_DISPOSITION" }
            end
            table.sort(received, function(a, b) return a.numeroFacture < b.numeroFacture end)
            local one = recipient.invoices.download{ ids = { received[1].idFacture }, to = "out/mine.pdf" }
            print("file name", one.file, chorus.fs.read(one.file):sub(1, 4))
            local folder = recipient.invoices.download{ ids = { received[1].idFacture }, to = "out" }
            print("by number", folder.file)
            local zip = recipient.invoices.download{ ids = received, to = "out/" }
            print("several", zip.file, chorus.fs.read(zip.file):sub(1, 2))
            -- A misuse inside chorus (writing outside the allowed folders) is raised at the script's line.
            print(pcall(recipient.invoices.download, { ids = { received[1].idFacture }, to = "/etc/nope.pdf" }))
            print(pcall(chorus.invoices.complete, { id = 1, attachments = { "/etc/passwd" } }))
            -- complete takes a plain path: uploaded for you, then referenced.
            recipient.invoices.process{ id = received[1].idFacture, status = "SUSPENDUE", motif = "Bon de livraison manquant" }
            chorus.fs.write("note.pdf", "%PDF-1.4 note")
            local done = chorus.invoices.complete{ id = received[1].idFacture, attachments = { "note.pdf" } }
            print("completed", done.numeroFacture, chorus.invoices.status_of(chorus.invoices.history(received[1].idFacture)))
            """)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == """
            not found\tnil\tnil\tnil\tnil\tnil
            file name\tout/mine.pdf\t%PDF
            by number\tout/AV-UBL-2026-0001.pdf
            several\tout/AV-UBL-2026-0001-and-1-more.zip\tPK
            false\tscript.lua:22: '/etc/nope.pdf' is outside the folders this run may use (the script's folder and --allow-path folders read and write, the working directory read only)
            false\tscript.lua:23: '/etc/passwd' is outside the folders this run may use (the script's folder and --allow-path folders read and write, the working directory read only)
            completed\tAV-UBL-2026-0001\tCOMPLETEE

            """)
    }
}
