import ChorusAPI
import ChorusSimulator
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// Single requests that used to kill or freeze the simulator: each gets its exact answer, and the
/// simulator answers the next request.
@Suite("Hostile requests")
struct HostileInputTests {
    static let limitMessage =
        "n'est pas valide : entier inférieur ou égal à 2147483647 attendu"

    @Test func pagingOverflowIs400() async throws {
        try await SimHarness.with { sim in
            let size = try await sim.call(
                "/structures/v1/rechercher",
                [
                    "structure": ["identifiantStructure": "12345678200051"],
                    "parametres": ["nbResultatsParPage": .integer(Int64.max)],
                ])
            #expect(size.status == 400)
            #expect(size.headers["content-type"] == "application/json;charset=utf-8")
            #expect(
                size.text
                    == #"{"codeRetour":20001,"libelle":"Le paramètre 'nbResultatsParPage' "#
                    + Self.limitMessage + #", 9223372036854775807 reçu."}"#)
            let page = try await sim.call(
                "/structures/v1/rechercher",
                [
                    "structure": ["identifiantStructure": "12345678200051"],
                    "parametres": ["pageResultatDemandee": 4_611_686_018_427_387_905],
                ])
            #expect(page.status == 400)
            #expect(
                page.text
                    == #"{"codeRetour":20001,"libelle":"Le paramètre 'pageResultatDemandee' "#
                    + Self.limitMessage + #", 4611686018427387905 reçu."}"#)
            let recipients = try await sim.call(
                "/transverses/v1/rechercher/destinataire",
                ["parametresRecherche": ["nbResultatsParPage": .integer(Int64.max)]])
            #expect(recipients.status == 400)
            // Within the bounds, the largest page is simply past the results.
            let far = try await sim.call(
                "/structures/v1/rechercher",
                [
                    "structure": ["identifiantStructure": "12345678200051"],
                    "parametres": ["pageResultatDemandee": 2_147_483_647, "nbResultatsParPage": 2_147_483_647],
                ])
            #expect(far.status == 200)
            try await sim.expectStillAnswering()
        }
    }

    @Test(arguments: [UInt8(ascii: "0"), UInt8(ascii: "5")])
    func tarWithNegativeSizeIsReadAsOneNonConformingFile(type: UInt8) async throws {
        try await SimHarness.with { sim in
            let tar = HostileArchives.tar(sizeField: "-0000000777", type: type)
            let number = try await sim.deposit(tar, name: "lot.tar", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let report = try await sim.finalReport(number)
            #expect(report["etatCourantDepotFlux"] == "IN_REJETE")
            #expect(report["listeErreurTechnique"]?.arrayValue?.first?["codeErreur"] == "ERR_XSD_001")
            try await sim.expectStillAnswering()
        }
    }

    @Test func overlappingZipEntriesAreReadOnce() async throws {
        try await SimHarness.with { sim in
            // 1 Mo listed 100 times: libarchive reads the data once (and the budget stops 64 Mo anyway).
            let zip = HostileArchives.overlappingZip(entryBytes: 1024 * 1024, copies: 100)
            let number = try await sim.deposit(zip, name: "lot.zip", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let report = try await sim.finalReport(number)
            #expect(report["etatCourantDepotFlux"] == "IN_REJETE")
            #expect(report["listeErreurTechnique"]?.arrayValue?.count == 1)
            #expect(
                report["listeErreurTechnique"]?.arrayValue?.first?["libelleErreur"]?.stringValue?.contains(
                    "IRRECEVABILITE: le fichier facture.xml n'est pas") == true)
            try await sim.expectStillAnswering()
        }
    }

    @Test func archiveInflatingPastTheBudgetIsRefused() async throws {
        try await SimHarness.with { sim in
            // 70 distinct stored files of 1 Mo each would do, but the deposit limit is 10 Mo: gzip a tar of
            // zeros instead (tiny once compressed, 80 Mo inflated).
            let tar = HostileArchives.tar(sizeField: String(format: "%011o", 80 * 1024 * 1024))
            let header = Array(tar[0..<512])
            let gz = try gzip(header + [UInt8](repeating: 0, count: 80 * 1024 * 1024) + [UInt8](repeating: 0, count: 1024))
            let answer = try await sim.call("/factures/v1/deposer/flux", Self.deposit(gz, name: "lot.tar.gz"))
            #expect(answer.status == 400)
            #expect(
                answer.text
                    == #"{"codeRetour":20001,"libelle":"GDP_MSG_11.022 - La taille du fichier facture.xml "#
                    + #"dépasse la taille maximale autorisée (10 Mo)."}"#)
            try await sim.expectStillAnswering()
        }
    }

    /// gzip through the system tool (the simulator reads gzip; it never writes it). Output goes to a file:
    /// reading a pipe with FileHandle traps when another test's signal interrupts the read.
    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-\(UUID().uuidString).tar")
        try Data(bytes).write(to: input)
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: input.appendingPathExtension("gz"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-9", input.path]
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: input.appendingPathExtension("gz")))
    }

    @Test func archiveWithTooManyEntriesOrAnArchiveInsideIsRefused() async throws {
        try await SimHarness.with { sim in
            let many = InvoiceArchive.zip((0...1000).map { .init(name: "f\($0).xml", bytes: [0x3C]) })!
            let crowded = try await sim.call("/factures/v1/deposer/flux", Self.deposit(many, name: "lot.zip"))
            #expect(crowded.status == 400)
            #expect(
                crowded.text
                    == #"{"codeRetour":20001,"libelle":"GDP_MSG_11.023 - L'archive contient trop de fichiers "#
                    + #"(1000 au maximum)."}"#)
            let inner = InvoiceArchive.zip([.init(name: "a.xml", bytes: try SimHarness.sample("ubl-invoice.xml"))])!
            let outer = InvoiceArchive.zip([.init(name: "inner.zip", bytes: inner)])!
            let nested = try await sim.call("/factures/v1/deposer/flux", Self.deposit(outer, name: "lot.zip"))
            #expect(nested.status == 400)
            #expect(
                nested.text
                    == #"{"codeRetour":20001,"libelle":"GDP_MSG_11.024 - L'archive ne doit pas contenir "#
                    + #"d'autre archive (inner.zip)."}"#)
            try await sim.expectStillAnswering()
        }
    }

    @Test func controlValuesOutOfRangeAre400() async throws {
        try await SimHarness.with { sim in
            let cases: [(JSONValue, String)] = [
                (["faults": [["operation": "*", "error_rate": 1.0, "status": 1000]]], "status must be between 400 and 599"),
                (["faults": [["operation": "*", "latency_ms": 1e14]]], "latency_ms"),
                (["faults": [["operation": "*", "latency_ms": -1]]], "latency_ms must be between 0 and 600000"),
                (["faults": [["operation": "*", "retry_after": -5]]], "retry_after must be between 0 and 86400"),
            ]
            for (body, message) in cases {
                let answer = try await sim.control("PUT", "/faults", body)
                #expect(answer.status == 400)
                #expect(answer.json?["error"]?.stringValue?.contains(message) == true, "\(answer.text)")
            }
            for seconds in ["1e999", "-1", "1e300", "\"x\""] {
                let answer = try await sim.raw(
                    "POST", "/_sim/clock/advance", headers: [("Content-Type", "application/json")],
                    body: Array(#"{"seconds": \#(seconds)}"#.utf8))
                #expect(answer.status == 400, "seconds \(seconds)")
                #expect(answer.headers["content-type"] == "application/json;charset=utf-8")
            }
            let scenario = try await sim.control("POST", "/scenario", ["settings": ["processing_delay": 1e300]])
            #expect(scenario.status == 400)
            #expect(scenario.json?["error"] == "setting 'processing_delay' must be a number between 0 and 31622400")
            #expect(try await sim.control("GET", "/faults").json?["faults"] == [])
            try await sim.expectStillAnswering()
        }
    }

    @Test func failedSaveIs500AndKeepsNothing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await SimHarness.with(stateFile: folder.appendingPathComponent("state.json")) { sim in
            try FileManager.default.removeItem(at: folder)
            let invoice = try SimHarness.sample("ubl-invoice.xml")
            let answer = try await sim.call("/factures/v1/deposer/flux", Self.deposit(invoice, name: "f.xml"))
            #expect(answer.status == 500)
            #expect(answer.text == #"{"codeRetour":500,"libelle":"Erreur interne du serveur"}"#)
            #expect(sim.store.snapshot().flux.isEmpty)
            try await sim.expectStillAnswering()
        }
    }

    static func deposit(_ bytes: [UInt8], name: String) -> JSONValue {
        [
            "fichierFlux": .string(Data(bytes).base64EncodedString()), "nomFichier": .string(name),
            "syntaxeFlux": "IN_DP_E1_UBL_INVOICE",
        ]
    }
}

extension SimHarness {
    /// The gateway and the control API both answer (the previous request left the simulator alive).
    func expectStillAnswering() async throws {
        let health = try await call("/transverses/v1/health-check", nil, method: "GET")
        #expect(health.status == 200)
        let control = try await self.control("GET", "/health")
        #expect(control.status == 200)
    }
}
