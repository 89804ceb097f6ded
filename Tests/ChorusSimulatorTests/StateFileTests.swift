import Foundation
import JSONValue
import Testing

@testable import ChorusSimulator

/// `--state FILE`: a SQLite file written record by record; a restart finds everything, file contents
/// included; a JSON state file of an earlier version is converted.
@Suite("State file")
struct StateFileTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    static let pdf = Array("%PDF-1.4 piece jointe".utf8)

    @Test func aRestartKeepsEverything() async throws {
        let file = folder.appendingPathComponent("sim.state")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ubl = try SimHarness.sample("ubl-invoice.xml")
        let (before, token, invoiceId, attachmentId, flux) = try await SimHarness.with(stateFile: file) {
            sim in
            let token = try await sim.token()
            let flux = try await sim.deposit(ubl, name: "u.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let upload = try await sim.call(
                "/transverses/v1/ajouter/fichier",
                [
                    "pieceJointeFichier": .string(Data(Self.pdf).base64EncodedString()), "pieceJointeNom": "pj.pdf",
                    "pieceJointeTypeMime": "application/pdf", "pieceJointeExtension": "PDF",
                ], token: token)
            let attachmentId = try #require(upload.json?["pieceJointeId"]?.integerValue)
            // Processed, integrated and routed to the recipient.
            try await sim.advance(60)
            let sent = try await sim.call(
                "/factures/v1/rechercher/fournisseur", ["numeroFluxDepot": .string(flux)], token: token)
            let invoiceId = try #require(
                sent.json?["listeFactures"]?.arrayValue?.first?["identifiantFactureCPP"]?.integerValue)
            let paid = try await sim.call(
                "/factures/v1/traiter/recue", ["idFacture": .integer(invoiceId), "nouveauStatut": "MISE_EN_PAIEMENT"],
                as: SimHarness.recipient)
            #expect(paid.status == 200)
            return (sim.store.snapshot(), token, invoiceId, attachmentId, flux)
        }
        #expect(before.files[before.invoices[invoiceId]?.file?.key ?? ""] == ubl)

        try await SimHarness.with(stateFile: file) { sim in
            // The same records, dates and ids, to the bit.
            let after = sim.store.snapshot()
            #expect(after.invoices == before.invoices)
            #expect(after.flux == before.flux)
            #expect(after.attachments == before.attachments)
            #expect(after.tokens == before.tokens)
            #expect(after.nextId == before.nextId)
            #expect(after.clockOffset == before.clockOffset)
            // The token issued before still works; the files come back from the state file.
            let report = try await sim.call(
                "/transverses/v1/consulterCRDetaille", ["numeroFluxDepot": .string(flux)], token: token)
            #expect(report.json?["etatCourantDepotFlux"] == "IN_INTEGRE")
            let download = try await sim.call(
                "/factures/v1/telecharger/groupe",
                ["listeFacture": [["idFacture": .integer(invoiceId)]], "format": "PIVOT"], as: SimHarness.recipient)
            let bytes = download.json?["fichierResultat"]?.stringValue.flatMap { Data(base64Encoded: $0) }
            #expect(bytes.map { [UInt8]($0) } == ubl)
            let attachment = try await sim.call(
                "/transverses/v1/telecharger/pieceJointe", ["pieceJointeId": .integer(attachmentId)], token: token)
            #expect(attachment.json?["pieceJointe"]?.stringValue == Data(Self.pdf).base64EncodedString())
            // New ids continue after the old ones.
            let next = try await sim.deposit(ubl, name: "u2.xml", syntaxe: "IN_DP_E1_UBL_INVOICE", as: SimHarness.beta)
            #expect(next > flux)
            #expect(sim.store.snapshot().flux.count == before.flux.count + 1)
        }
    }

    @Test func theFileIsSQLiteAndHoldsNoFileInItsRecords() async throws {
        let file = folder.appendingPathComponent("sim.state")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ubl = try SimHarness.sample("ubl-invoice.xml")
        try await SimHarness.with(stateFile: file) { sim in
            let flux = try await sim.deposit(ubl, name: "u.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let pending = try #require(sim.store.snapshot().flux[flux]?.pendingInvoices.first?.file)
            #expect(pending == StoredFile(key: "flux/\(flux)/0", size: ubl.count))
            // The dump names the file, without its content.
            let dump = try await sim.control("GET", "/state")
            #expect(dump.text.contains(#""key":"flux\/\#(flux)\/0""#))
            #expect(!dump.text.contains(Data(ubl).base64EncodedString()))
        }
        let header = try FileHandle(forReadingFrom: file).read(upToCount: 16)
        #expect(header == Data("SQLite format 3\0".utf8))
    }

    @Test func aJSONStateFileOfAnEarlierVersionIsConverted() async throws {
        let file = folder.appendingPathComponent("old.json")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ubl = try SimHarness.sample("ubl-invoice.xml")
        // Build a state as the earlier version wrote it: the content in base64 inside each record.
        var state = SimulatorSeed.state(now: Date())
        let flux = "CPP0011117000000009000999"
        state.invoices[42] = Self.invoice(id: 42, number: "OLD-1", fluxNumber: flux)
        state.flux[flux] = Flux(
            number: flux, syntaxe: "IN_DP_E1_UBL_INVOICE", fileName: "old.xml", depositedAt: Date(),
            processingAt: Date(), finalAt: Date().addingTimeInterval(3600), login: SimulatorSeed.supplierLogin,
            outcome: "IN_INTEGRE", dpErrors: [], technicalErrors: [],
            pendingInvoices: [Self.invoice(id: 0, number: "OLD-2", fluxNumber: nil)])
        state.attachments[43] = Attachment(
            id: 43, name: "pj.pdf", ext: "PDF", mime: "application/pdf", file: nil, login: SimulatorSeed.supplierLogin)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var json = try JSONValue.parse([UInt8](try encoder.encode(state)))
        let base64 = JSONValue.string(Data(ubl).base64EncodedString())
        // Integer-keyed tables encode as [key, value, key, value...].
        json = Self.setting(json, ["invoices", 1, "fileBase64"], base64)
        json = Self.setting(json, ["flux", flux, "pendingInvoices", 0, "fileBase64"], base64)
        json = Self.setting(json, ["attachments", 1, "base64"], .string(Data(Self.pdf).base64EncodedString()))
        try Data(json.serializedBytes()).write(to: file)

        let store = try SimulatorStore.open(stateFile: file)
        let converted = store.snapshot()
        #expect(converted.invoices[42]?.number == "OLD-1")
        #expect(converted.invoices[42]?.file == StoredFile(key: "invoice/42", size: ubl.count))
        #expect(converted.files["invoice/42"] == ubl)
        #expect(converted.files[converted.flux[flux]?.pendingInvoices.first?.file?.key ?? ""] == ubl)
        #expect(converted.files[converted.attachments[43]?.file?.key ?? ""] == Self.pdf)
        #expect(FileManager.default.fileExists(atPath: file.path + ".json-v1"))
        let header = try FileHandle(forReadingFrom: file).read(upToCount: 16)
        #expect(header == Data("SQLite format 3\0".utf8))
        // Opened again, it is read as a database.
        let reopened = try SimulatorStore.open(stateFile: file).snapshot()
        #expect(reopened.invoices == converted.invoices)
        #expect(reopened.files["invoice/42"] == ubl)
    }

    @Test func anUnreadableStateFileIsAnError() throws {
        let file = folder.appendingPathComponent("garbage.json")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("not a state".utf8).write(to: file)
        #expect(throws: (any Error).self) { try SimulatorStore.open(stateFile: file) }
        // Left as it was.
        #expect(try Data(contentsOf: file) == Data("not a state".utf8))
    }

    @Test func anEmptyFileIsANewState() throws {
        let file = folder.appendingPathComponent("empty.state")
        defer { try? FileManager.default.removeItem(at: folder) }
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let state = try SimulatorStore.open(stateFile: file).snapshot()
        #expect(state.structures == SimulatorSeed.state(now: Date()).structures)
        #expect(state.flux.isEmpty)
    }

    static func invoice(id: Int64, number: String, fluxNumber: String?) -> Invoice {
        Invoice(
            id: id, number: number, type: "FACTURE", modeDepot: "EDI_XML_STRUCT", supplierId: 26_073_801,
            recipientId: 26_073_617, issueDate: "2026-01-01", depositedAt: Date(), currency: "EUR", totalHT: 100,
            totalTVA: 20, totalTTC: 120, amountDue: 120, fluxNumber: fluxNumber, fileName: "old.xml",
            history: [Invoice.StatusChange(status: "DEPOSEE", at: Date(), comment: "", by: "CPP")])
    }

    /// `value` with `path` (object keys and array indexes) set to `new`.
    static func setting(_ value: JSONValue, _ path: [AnyHashable], _ new: JSONValue) -> JSONValue {
        guard let first = path.first else { return new }
        let rest = Array(path.dropFirst())
        switch (value, first) {
        case (.object(var members), let key as String):
            members[key] = setting(members[key] ?? .null, rest, new)
            return .object(members)
        case (.array(var elements), let index as Int) where elements.indices.contains(index):
            elements[index] = setting(elements[index], rest, new)
            return .array(elements)
        default:
            Issue.record("no \(first) in \(value)")
            return value
        }
    }
}
