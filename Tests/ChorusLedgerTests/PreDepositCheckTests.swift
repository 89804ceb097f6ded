import ChorusAPI
import ChorusLedger
import ChorusTestSupport
import Foundation
import Testing

/// Every pre-deposit check refuses with the file's name and what is wrong, before anything is reserved:
/// the rule's id and message, as `chorus check` and the simulator write them, and its fix.
@Suite struct PreDepositCheckTests {
    /// The end of a refusal: the rule's fix.
    func fix(_ rule: String) -> String { " Fix: " + (CheckRules.rule(rule)?.fix ?? "?") }

    func refusal(_ data: Data, name: String = "f.xml", syntax: String? = nil) -> String? {
        do {
            _ = try DepositCandidate(data: data, name: name, syntax: syntax)
            return nil
        } catch {
            return error.description
        }
    }

    func example(_ file: String) throws -> Data {
        try Data(contentsOf: ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/\(file)"))
    }

    @Test func aGoodInvoiceIsReadWithItsKeys() throws {
        let candidate = try DepositCandidate(data: try example("ubl-invoice.xml"), name: "ubl-invoice.xml")
        #expect(candidate.invoiceNumber == "FA-UBL-2026-0001")
        #expect(candidate.supplierSiret == "98765432100015")
        #expect(candidate.recipientSiret == "12345678200051")
        #expect(candidate.flux.syntax == "IN_DP_E1_UBL_INVOICE")
        #expect(candidate.contentHash.count == 64)
        let facturX = try DepositCandidate(data: try example("facturx-invoice.pdf"), name: "facturx-invoice.pdf")
        #expect(facturX.flux.syntax == "IN_DP_E2_CII_FACTURX")
    }

    @Test func emptyTooLargeAndBadNamesAreRefused() {
        #expect(refusal(Data()) == "'f.xml': [file-empty] Le fichier transmis dans 'fichierFlux' est vide." + fix("file-empty"))
        #expect(
            refusal(Data(repeating: 0x20, count: 10 * 1024 * 1024 + 1))
                == "'f.xml': [file-too-large] GDP_MSG_11.022 - La taille du fichier dépasse la taille maximale autorisée (10 Mo)."
                    + fix("file-too-large"))
        let long = String(repeating: "a", count: 201) + ".xml"
        #expect(
            refusal(Data("<x/>".utf8), name: long)
                == "'\(long)': [file-name-too-long] Le paramètre 'nomFichier' dépasse 200 caractères."
                + fix("file-name-too-long"))
        #expect(
            refusal(Data("<x/>".utf8), name: "f.txt")
                == "'f.txt': [file-extension] L'extension du fichier 'f.txt' n'est pas autorisée. Extensions possibles : "
                + "xml, pdf, zip, tar, tar.gz, tgz." + fix("file-extension"))
    }

    @Test func contentThatIsNotAnInvoiceIsRefused() {
        #expect(
            refusal(Data("<Invoice><cbc:ID>1</Invoice>".utf8))
                == "'f.xml': [xml-malformed] IRRECEVABILITE: le fichier f.xml n'est pas un document XML bien forme."
                + fix("xml-malformed"))
        #expect(
            refusal(Data("%PDF-1.4 plain".utf8), name: "f.pdf")
                == "'f.pdf': [not-an-invoice] IRRECEVABILITE: le fichier f.pdf n'est pas une facture UBL, CII ou Factur-X."
                + fix("not-an-invoice"))
        #expect(
            refusal(Data("hello".utf8))
                == "'f.xml': [not-an-invoice] IRRECEVABILITE: le fichier f.xml n'est pas une facture UBL, CII ou Factur-X."
                + fix("not-an-invoice"))
    }

    @Test func aSyntaxThatDisagreesWithTheContentIsRefused() throws {
        let ubl = try example("ubl-invoice.xml")
        #expect(
            refusal(ubl, syntax: "IN_DP_E1_CII_16B")
                == "'f.xml': [syntax-mismatch] IRRECEVABILITE: le fichier f.xml n'est pas conforme à la syntaxe déclarée "
                + "IN_DP_E1_CII_16B. - ligne: 1 - position: 1" + fix("syntax-mismatch"))
    }

    @Test func missingNumberAndSiretsNameTheirElement() throws {
        let text = try String(decoding: example("ubl-invoice.xml"), as: UTF8.self)
        let noNumber = text.replacingOccurrences(of: "<cbc:ID>FA-UBL-2026-0001</cbc:ID>", with: "")
        #expect(
            refusal(Data(noNumber.utf8))
                == "'f.xml' line 2: [invoice-number-missing] L'element FichierXml.ID.value est obligatoire."
                + fix("invoice-number-missing"))
        let noSupplier = text.replacingOccurrences(
            of: #"<cac:PartyIdentification><cbc:ID schemeID="0009">98765432100015</cbc:ID></cac:PartyIdentification>"#,
            with: "")
        #expect(
            refusal(Data(noSupplier.utf8))
                == "'f.xml' line 10: [supplier-missing] L'element "
                + "FichierXml.AccountingSupplierParty.Party.PartyIdentification.ID.value est obligatoire."
                + fix("supplier-missing")
        )
        let noRecipient = text.replacingOccurrences(
            of: #"<cac:PartyIdentification><cbc:ID schemeID="0009">12345678200051</cbc:ID></cac:PartyIdentification>"#,
            with: "")
        #expect(
            refusal(Data(noRecipient.utf8))
                == "'f.xml' line 15: [recipient-missing] L'element "
                + "FichierXml.AccountingCustomerParty.Party.PartyIdentification.ID.value est obligatoire."
                + fix("recipient-missing")
        )
    }

    /// A ZIP lot of `entries` (name, content).
    func zip(_ entries: [(String, Data)]) throws -> Data {
        Data(try #require(InvoiceArchive.zip(entries.map { InvoiceArchive.Entry(name: $0.0, bytes: [UInt8]($0.1)) })))
    }

    func ubl(_ number: String) throws -> Data {
        Data(try String(decoding: example("ubl-invoice.xml"), as: UTF8.self)
            .replacingOccurrences(of: "FA-UBL-2026-0001", with: number).utf8)
    }

    @Test func aLotIsReadInvoiceByInvoice() throws {
        let lot = try DepositCandidate(data: try example("lot-ubl.zip"), name: "lot.zip")
        #expect(lot.lot == "lot.zip")
        #expect(lot.invoices.map(\.invoiceNumber) == ["FA-UBL-2026-0011", "FA-UBL-2026-0012"])
        #expect(lot.invoices.map(\.name) == ["lot.zip/FA-UBL-2026-0011.xml", "lot.zip/FA-UBL-2026-0012.xml"])
        #expect(lot.invoices.map(\.recipientSiret) == ["12345678200051", "11000201100044"])
        #expect(Set(lot.invoices.map(\.contentHash)).count == 2)
        #expect(lot.flux.syntax == "IN_DP_E1_UBL_INVOICE")
        #expect(lot.flux.name == "lot.zip")
        let tarGz = try DepositCandidate(data: try example("lot-partial.tar.gz"), name: "lot-partial.tar.gz")
        #expect(tarGz.invoices.map(\.invoiceNumber) == ["FA-UBL-2026-0021", "FA-UBL-2026-0022"])
        let single = try DepositCandidate(data: try example("ubl-invoice.xml"), name: "ubl-invoice.xml")
        #expect(single.lot == nil)
        #expect(single.invoices.count == 1)
    }

    @Test func eachInvoiceOfALotIsCheckedAndNamed() throws {
        let broken = Data("<Invoice>".utf8)
        let brokenLot = try zip([("a.xml", try ubl("L-1")), ("b.xml", broken)])
        #expect(
            refusal(brokenLot, name: "lot.zip")
                == "'lot.zip/b.xml': [xml-malformed] IRRECEVABILITE: le fichier lot.zip/b.xml n'est pas un document XML "
                + "bien forme." + fix("xml-malformed"))
        let noNumber = try String(decoding: ubl("L-2"), as: UTF8.self)
            .replacingOccurrences(of: "<cbc:ID>L-2</cbc:ID>", with: "")
        let noNumberLot = try zip([("a.xml", Data(noNumber.utf8))])
        #expect(
            refusal(noNumberLot, name: "lot.zip")
                == "'lot.zip/a.xml' line 2: [invoice-number-missing] L'element FichierXml.ID.value est obligatoire."
                + fix("invoice-number-missing"))
        #expect(
            refusal(try zip([("a.xml", try ubl("L-3")), ("c.xml", try example("cii-invoice.xml"))]), name: "lot.zip")
                == "'lot.zip' mixes syntaxes (lot.zip/a.xml is UBL, lot.zip/c.xml is CII); a lot holds invoices of one syntax")
        #expect(
            refusal(try zip([("a.xml", try ubl("L-4")), ("again.xml", try ubl("L-4"))]), name: "lot.zip")
                == "'lot.zip' holds invoice L-4 of 98765432100015 twice (lot.zip/a.xml and lot.zip/again.xml)")
        let ublLot = try zip([("a.xml", try ubl("L-5"))])
        #expect(
            refusal(ublLot, name: "lot.zip", syntax: "IN_DP_E1_CII_16B")
                == "'lot.zip/a.xml': [syntax-mismatch] IRRECEVABILITE: le fichier lot.zip/a.xml n'est pas conforme à la "
                + "syntaxe déclarée IN_DP_E1_CII_16B. - ligne: 1 - position: 1" + fix("syntax-mismatch"))
        #expect(
            refusal(try zip([("inner.zip", try zip([("a.xml", try ubl("L-6"))]))]), name: "lot.zip")
                == "'lot.zip/inner.zip' is an archive inside the lot; Chorus Pro refuses nested archives (GDP_MSG_11.024)")
    }

    @Test func aLotIsReadWithinTheArchiveBudget() throws {
        let many = try zip((1...1001).map { ("f\($0).xml", Data("x".utf8)) })
        #expect(
            refusal(many, name: "lot.zip")
                == "'lot.zip' holds more than 1000 files; Chorus Pro refuses such a lot (GDP_MSG_11.023)")
        // A tar.gz of a few kilobytes whose one file inflates to 11 Mo.
        let size = 11 << 20
        var tar = Array(HostileArchives.tar(name: "big.xml", sizeField: String(format: "%011o", size)).prefix(512))
        tar += [UInt8](repeating: 0x20, count: size) + [UInt8](repeating: 0, count: 1024)
        let bomb = try gzip(Data(tar))
        #expect(bomb.count < 1 << 20)
        #expect(
            refusal(bomb, name: "lot.tar.gz")
                == "'lot.tar.gz/big.xml' is over 10 Mo once inflated; Chorus Pro refuses it (GDP_MSG_11.022)")
    }

    /// `data` compressed by gzip(1), through files (no pipe reads under the loaded suite).
    func gzip(_ data: Data) throws -> Data {
        let folder = TestCredentials.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in")
        let output = folder.appendingPathComponent("out.gz")
        try data.write(to: input)
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = ["-c", input.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: output)
    }

    @Test func anArchiveMustBeNamedAndReadableAsALot() throws {
        #expect(refusal(try zip([]), name: "lot.zip") == "'lot.zip' is an archive with no file in it")
        #expect(
            refusal(try ubl("L-7"), name: "lot.zip")
                == "'lot.zip' is not a readable ZIP, tar or tar.gz archive (a lot of invoices)")
        #expect(
            refusal(try example("lot-ubl.zip"), name: "lot.xml")
                == "'lot.xml' is an archive (lot) of invoices: name it .zip, .tar or .tar.gz to deposit it as a lot")
    }
}

/// The deposit file reader: within the platform's size limit whatever the file claims or becomes.
@Suite struct DepositFileReadTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aFileAtTheLimitIsReadWhole() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = (0..<DepositCandidate.maximumBytes).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let url = folder.appendingPathComponent("f.xml")
        try Data(bytes).write(to: url)
        #expect(try DepositCandidate.readFile(atPath: url.path, name: "f.xml").get() == bytes)
    }

    @Test func oneByteOverTheLimitIsRefusedWithTheRule() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("f.xml")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        try FileHandle(forWritingTo: url).truncate(atOffset: UInt64(DepositCandidate.maximumBytes + 1))
        guard case .failure(.tooLarge(let refusal)) = DepositCandidate.readFile(atPath: url.path, name: "f.xml") else {
            Issue.record("read")
            return
        }
        #expect(refusal.hasPrefix("'f.xml': [file-too-large] GDP_MSG_11.022 - La taille du fichier dépasse"))
    }

    @Test func missingFoldersAndDevicesAreNamed() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(DepositCandidate.readFile(atPath: folder.appendingPathComponent("nope.xml").path, name: "n") == .failure(.missing))
        #expect(DepositCandidate.readFile(atPath: folder.path, name: "n") == .failure(.unreadable))
        // A device that never ends is not a file: refused before a byte is read.
        #expect(DepositCandidate.readFile(atPath: "/dev/zero", name: "n") == .failure(.unreadable))
    }

    /// A regular file whose size says 0 but which has content (as /proc files do) is read past its
    /// announced size, still within the limit.
    @Test func aFileLargerThanAnnouncedIsReadToItsEnd() throws {
        let bytes = try DepositCandidate.readFile(atPath: "/proc/self/status", name: "status").get()
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("Name:"))
    }
}
