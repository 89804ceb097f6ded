import ChorusAPI
import ChorusTestSupport
import Foundation
import Testing

/// The archive reader under hostile input: each budget refuses with its reason, malformed archives are
/// "not an archive", and nothing traps or loops.
@Suite("Invoice archives")
struct InvoiceArchiveTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/archives/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    @Test func zipRoundTrip() throws {
        let entries: [InvoiceArchive.Entry] = [
            .init(name: "a.xml", bytes: Array("<a/>".utf8)), .init(name: "dir/b.pdf", bytes: [1, 2, 3]),
            .init(name: "empty.xml", bytes: []),
        ]
        let zip = try #require(InvoiceArchive.zip(entries))
        #expect(try InvoiceArchive.read(zip) == entries)
    }

    @Test(arguments: [UInt8(ascii: "0"), UInt8(ascii: "5")])
    func negativeTarSizeIsNotAnArchive(type: UInt8) throws {
        #expect(try InvoiceArchive.read(HostileArchives.tar(sizeField: "-0000000777", type: type)) == nil)
        // The same header with a sane size is read (the fixture builder is right).
        let sane = try InvoiceArchive.read(HostileArchives.tar(sizeField: "00000000010"))
        #expect(sane?.map(\.name) == ["facture.xml"])
        #expect(sane?.first?.bytes.count == 8)
    }

    @Test func hugeTarSizeIsNotAnArchive() throws {
        #expect(try InvoiceArchive.read(HostileArchives.tar(sizeField: "77777777777")) == nil)
    }

    @Test func overlappingZipEntriesAreReadOnce() throws {
        // libarchive reads the central directory, where 100 records point at the same data: one file.
        let zip = HostileArchives.overlappingZip(entryBytes: 1024, copies: 100)
        let entries = try #require(try InvoiceArchive.read(zip))
        #expect(entries.map(\.name) == ["facture.xml"])
    }

    @Test func budgetRefusals() throws {
        let files = (0..<5).map { InvoiceArchive.Entry(name: "f\($0).xml", bytes: [UInt8](repeating: 0x41, count: 100)) }
        let zip = try #require(InvoiceArchive.zip(files))
        var budget = InvoiceArchive.Budget()
        budget.maximumEntries = 4
        #expect(throws: InvoiceArchive.Refusal.tooManyEntries(limit: 4)) { try InvoiceArchive.read(zip, budget: budget) }
        budget = InvoiceArchive.Budget()
        budget.maximumEntryBytes = 99
        #expect(throws: InvoiceArchive.Refusal.entryTooLarge(name: "f0.xml", limit: 99)) {
            try InvoiceArchive.read(zip, budget: budget)
        }
        budget = InvoiceArchive.Budget()
        budget.maximumTotalBytes = 450
        #expect(throws: InvoiceArchive.Refusal.tooLarge(limit: 450)) { try InvoiceArchive.read(zip, budget: budget) }
        let nested = try #require(InvoiceArchive.zip([.init(name: "in.zip", bytes: zip)]))
        #expect(throws: InvoiceArchive.Refusal.nested(name: "in.zip")) { try InvoiceArchive.read(nested) }
        // The default API says "not a lot" for anything refused.
        #expect(InvoiceArchive.entries(in: nested) == nil)
    }

    /// Inputs the fuzzer found (`scripts/fuzz archive`): each is read without a crash.
    @Test(arguments: ["libarchive-leak-zip.bin"])
    func fuzzerFindings(_ name: String) throws {
        let bytes = try Self.fixture(name)
        // A ZIP whose one entry has no name (libarchive 3.6.2 leaks 33 bytes on it): no file in it.
        #expect(try InvoiceArchive.read(bytes) == [])
    }

    /// A refusal reads as a sentence in a check's finding, never as the enum's spelling.
    @Test func refusalsReadAsSentences() async throws {
        #expect("\(InvoiceArchive.Refusal.tooManyEntries(limit: 1000))" == "the archive holds more than 1000 files")
        #expect(
            "\(InvoiceArchive.Refusal.entryTooLarge(name: "a.xml", limit: 10 * 1024 * 1024))"
                == "'a.xml' is over 10 Mo once inflated")
        #expect("\(InvoiceArchive.Refusal.tooLarge(limit: 64 * 1024 * 1024))" == "the archive inflates past 64 Mo")
        #expect("\(InvoiceArchive.Refusal.nested(name: "in.zip"))" == "'in.zip' is an archive inside the archive")
        #expect("\(InvoiceArchive.Refusal.libraryUnavailable(reason: "why"))" == "why")

        let many = (0...InvoiceArchive.Budget().maximumEntries).map {
            InvoiceArchive.Entry(name: "f\($0).xml", bytes: Array("<a/>".utf8))
        }
        let zip = try #require(InvoiceArchive.zip(many))
        let findings = try await InvoiceChecker.check(zip, name: "lot.zip", today: "2026-12-02", lookup: nil)
        let refused = try #require(findings.first { $0.rule == "archive-refused" })
        #expect(refused.message == "the archive holds more than 1000 files")
        #expect(refused.fix == "Deposit the invoices one by one, or in smaller archives.")
    }
}
