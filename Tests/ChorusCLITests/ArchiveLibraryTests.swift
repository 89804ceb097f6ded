import ChorusAPI
import ChorusTestSupport
import Foundation
import Testing

/// libarchive is loaded when a lot is first read, not at start: a run that reads no archive never
/// needs it, and a run that does without a usable library says why and how to fix it.
@Suite struct ArchiveLibraryTests {
    static let examples = ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices")

    /// A folder holding a lot, and a `libarchive.so.13` that no loader accepts (an empty file), which
    /// `LD_LIBRARY_PATH` puts first in the dynamic loader's search.
    func brokenLibrary() throws -> (folder: URL, environment: [String: String]) {
        let folder = TestCredentials.temporaryDirectory()
        let libraries = folder.appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: libraries, withIntermediateDirectories: true)
        try Data().write(to: libraries.appendingPathComponent("libarchive.so.13"))
        let invoice = try [UInt8](Data(contentsOf: Self.examples.appendingPathComponent("ubl-invoice.xml")))
        let zip = try #require(InvoiceArchive.zip([InvoiceArchive.Entry(name: "a.xml", bytes: invoice)]))
        try Data(zip).write(to: folder.appendingPathComponent("lot.zip"))
        let environment = [
            "HOME": folder.path, "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": folder.appendingPathComponent("cache").path,
            "XDG_STATE_HOME": folder.appendingPathComponent("state").path, "PATH": "/usr/bin:/bin",
            "LD_LIBRARY_PATH": libraries.path,
        ]
        return (folder, environment)
    }

    @Test func aRunThatReadsNoArchiveStartsWithoutTheLibrary() async throws {
        let (folder, environment) = try brokenLibrary()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Were libarchive linked, the dynamic loader would stop here on the empty file (exit 127).
        let file = Self.examples.appendingPathComponent("ubl-invoice.xml").path
        let run = try await ChorusSubprocess.run(["check", file, "--offline"], environment: environment)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasSuffix("ubl-invoice.xml: ok\n1 file checked: 0 errors, 0 warnings\n"), "\(run.stdout)")
    }

    @Test func aLotWithoutAUsableLibrarySaysWhyAndHowToFixIt() async throws {
        let (folder, environment) = try brokenLibrary()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lot = folder.appendingPathComponent("lot.zip").path
        let library = folder.appendingPathComponent("lib/libarchive.so.13").path
        let reason = "libarchive could not be loaded (\(library): file too short); "
            + "install it (Debian: apt-get install libarchive13)"

        let check = try await ChorusSubprocess.run(["check", lot, "--offline"], environment: environment)
        #expect(check.status == 2, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("error [archive-refused]"), "\(check.stdout)")
        #expect(check.stdout.contains(reason), "\(check.stdout)")
        #expect(check.stdout.contains("fix:      Install libarchive, or check the invoices one by one."), "\(check.stdout)")

        // A deposit of the lot is refused as invalid input before anything is sent, with the same reason.
        let deposit = try await ChorusSubprocess.run(["deposit", lot, "--env", "sim"], environment: environment)
        #expect(deposit.status == 2, "\(deposit.stdout)\(deposit.stderr)")
        #expect((deposit.stdout + deposit.stderr).contains("'lot.zip' is a lot of invoices, and \(reason)"),
            "\(deposit.stdout)\(deposit.stderr)")

        // Without the broken library on the search path, the same lot is read.
        var working = environment
        working["LD_LIBRARY_PATH"] = nil
        let fixed = try await ChorusSubprocess.run(["check", lot, "--offline"], environment: working)
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stdout == "\(lot): ok\n1 file checked: 0 errors, 0 warnings\n", "\(fixed.stdout)")
    }
}
