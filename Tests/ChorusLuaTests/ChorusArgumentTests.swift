import Foundation
import ChorusTestSupport
import Testing

/// Every `chorus` function refuses wrong argument types and unknown options before sending
/// anything, in Lua's stock wording, naming the function, at the caller's line.
@Suite struct ChorusArgumentTests {
    static let statuses = "MISE_A_DISPOSITION, PRISE_EN_COMPTE_DESTINATAIRE, SERVICE_FAIT, SUSPENDUE, REJETEE, MANDATEE, MISE_EN_PAIEMENT, COMPTABILISEE, MISE_A_DISPOSITION_COMPTABLE, A_RECYCLER"

    @Test(arguments: [
        ("chorus.time.date({})", "bad argument #1 to 'date' (number expected, got table)"),
        ("chorus.time.parse('31/01/2024')", "bad argument #1 to 'parse' (unrecognised date '31/01/2024'; expected YYYY-MM-DD or ISO 8601 such as 2024-01-31T10:00:00+01:00)"),
        ("chorus.time.parse(nil)", "bad argument #1 to 'parse' (string expected, got nil)"),
        ("chorus.call({})", "bad argument #1 to 'call' (string expected, got table)"),
        ("chorus.call('transverses.recupererPays', 'x')", "bad argument #2 to 'call' (table expected, got string)"),
        ("chorus.invoices.submit('x')", "bad argument #1 to 'submit' (table expected, got string)"),
        ("chorus.invoices.search('x')", "bad argument #1 to 'search' (table expected, got string)"),
        ("chorus.invoices.search{ side = 'both' }", "bad argument #1 to 'search' (side must be 'supplier' or 'recipient', not 'both')"),
        ("chorus.invoices.search{ numeroFlux = 'x' }", "bad argument #1 to 'search' (unknown option 'numeroFlux' (did you mean 'numeroFluxDepot'?))"),
        ("chorus.invoices.search{ side = 'recipient', numeroFactur = 1 }", "bad argument #1 to 'search' (unknown option 'numeroFactur' (did you mean 'numeroFacture'?))"),
        ("chorus.invoices.each(5)", "bad argument #1 to 'each' (table expected, got number)"),
        ("chorus.invoices.get('12')", "bad argument #1 to 'get' (invoice id expected (an integer id), got string)"),
        ("chorus.invoices.get(1, { sid = 'x' })", "bad argument #2 to 'get' (unknown option 'sid' (did you mean 'side'?))"),
        ("chorus.invoices.history(nil)", "bad argument #1 to 'history' (invoice id expected (an integer id), got nil)"),
        ("chorus.invoices.download{ ids = {} }", "bad argument #1 to 'download' (ids must be a non-empty list of invoice ids (or of invoices, as search returns them))"),
        ("chorus.invoices.download{ ids = { 1 }, format = 'XML' }", "bad argument #1 to 'download' (format must be 'PDF' or 'PIVOT', not 'XML')"),
        ("chorus.invoices.process{ id = 1, status = 'PAYEE' }", "bad argument #1 to 'process' (status must be one of \(statuses), not 'PAYEE')"),
        ("chorus.invoices.process{ id = 1, status = 'REJETEE' }", "bad argument #1 to 'process' (motif (the reason) is required to set REJETEE)"),
        // The simulator (and the platform) also require a motif to send an invoice back for recycling.
        ("chorus.invoices.process{ id = 1, status = 'A_RECYCLER' }", "bad argument #1 to 'process' (motif (the reason) is required to set A_RECYCLER)"),
        ("chorus.invoices.process{ id = 1, statut = 'REJETEE' }", "bad argument #1 to 'process' (unknown option 'statut' (did you mean 'status'?))"),
        ("chorus.invoices.complete{ comment = 'x' }", "bad argument #1 to 'complete' (id expected (an integer id), got nil)"),
        ("chorus.invoices.recycle{ id = 1 }", "bad argument #1 to 'recycle' (recipient (codeDestinataire, a SIRET) is required)"),
        ("chorus.flows.report(42)", "bad argument #1 to 'report' (numeroFluxDepot (a string such as 'CPP0011...') expected, got number)"),
        ("chorus.flows.wait('CPP1', { timeout = -1 })", "bad argument #2 to 'wait' (timeout must be a number of seconds > 0)"),
        ("chorus.flows.wait('CPP1', { tiemout = 5 })", "bad argument #2 to 'wait' (unknown option 'tiemout' (did you mean 'timeout'?))"),
        ("chorus.flows.invoices()", "bad argument #1 to 'invoices' (numeroFluxDepot (a string such as 'CPP0011...') expected, got nil)"),
        ("chorus.structures.search('x')", "bad argument #1 to 'search' (table expected, got string)"),
        ("chorus.structures.find('1234567820005')", "bad argument #1 to 'find' ('1234567820005' is not a SIRET: a SIRET has exactly 14 digits)"),
        ("chorus.structures.find({})", "bad argument #1 to 'find' (SIRET expected (14 digits), got table)"),
        ("chorus.structures.get('x')", "bad argument #1 to 'get' (idStructureCPP expected (an integer id), got string)"),
        ("chorus.structures.services(1.5)", "bad argument #1 to 'services' (idStructureCPP expected (an integer id), got number)"),
        ("chorus.structures.requirements('abc')", "bad argument #1 to 'requirements' ('abc' is not a SIRET: a SIRET has exactly 14 digits)"),
        ("chorus.attachments.add{}", "bad argument #1 to 'add' (file (a path) is required)"),
        ("chorus.commitments.search(5)", "bad argument #1 to 'search' (table expected, got number)"),
        ("chorus.works_invoices.search('x')", "bad argument #1 to 'search' (table expected, got string)"),
        ("chorus.lookups.next_statuses(5)", "bad argument #1 to 'next_statuses' (string expected, got number)"),
        ("chorus.fs.read(nil)", "bad argument #1 to 'read' (string expected, got nil)"),
        ("chorus.fs.write('a.txt')", "bad argument #2 to 'write' (string expected, got no value)"),
        ("chorus.fs.list({})", "bad argument #1 to 'list' (string expected, got table)"),
        ("chorus.errors.is(nil, 5)", "bad argument #2 to 'is' (string expected, got number)"),
    ])
    func wrongArguments(source: String, message: String) async throws {
        let h = try Harness([:])
        let run = await h.run("local x = 1\n" + source)
        #expect(run.errorMessage == "test.lua:2: " + message)
        #expect(h.transport.requests.isEmpty)
    }

    @Test func filesStayInsideTheAllowedFolders() async throws {
        let h = try Harness([:])
        let run = await h.run("""
            local dir = "\(h.folder.path)"
            chorus.fs.write(dir .. "/out/report.csv", "a;b\\n")
            print(chorus.fs.read(dir .. "/out/report.csv"), chorus.fs.exists(dir .. "/out"), #chorus.fs.list(dir .. "/out"))
            print(chorus.fs.read(dir .. "/nope.txt"))
            print(pcall(chorus.fs.read, dir .. "/../escape.txt"))
            print(pcall(chorus.fs.write, "/tmp/elsewhere.txt", "x"))
            """)
        let folder = h.folder.path
        let parent = (folder as NSString).deletingLastPathComponent
        #expect(run.errorMessage == "")
        #expect(run.output == """
            a;b
            \ttrue\t1
            nil\t\(folder)/nope.txt: no such file
            false\t'\(folder)/../escape.txt' is outside the folders this run may use (the script's folder and --allow-path folders read and write, the working directory read only)
            false\t'/tmp/elsewhere.txt' is outside the folders this run may use (the script's folder and --allow-path folders read and write, the working directory read only)

            """)
        #expect(!FileManager.default.fileExists(atPath: parent + "/escape.txt"))
    }
}
