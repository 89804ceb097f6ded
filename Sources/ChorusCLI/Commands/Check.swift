import ArgumentParser
import ChorusAPI
import Foundation
import JSONValue

/// `chorus check FILE|DIR...`: runs Chorus Pro's rules on invoice files before any deposit.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check invoice files against Chorus Pro's rejection rules, before depositing them.",
        discussion: """
            Every file (a folder stands for the invoice files directly inside it; an archive for each invoice in it) is read the way Chorus Pro reads a deposited flux, and every rule of docs/check.md runs on it: the file itself (size, name, well-formed XML, a UBL, CII or Factur-X invoice), the invoice's content (number, dates, currency, cadre de facturation, payment means and IBAN, SIRETs, totals, credit notes, attachments), and, unless --offline, the recipient's live requirements in the chosen environment (structure active, service code required and active, engagement juridique required and existing). The simulator rejects deposits with the same rules and messages.

            --syntax checks each file as deposited with that syntaxeFlux (as chorus.invoices.deposit{syntax = ...} sends it): a file of another format is the finding syntax-mismatch, as the platform rejects it. Without it, the syntax is the one detected from the content, as chorus deposit sends it.

            Each finding gives its rule id, severity, the XML element and line, the platform's message, what it means and the fix. `chorus explain` explains a message the platform returned.

            The exit code is 0 when no finding is an error (warnings allowed), 2 when one is (the same code chorus deposit uses for a file that fails its checks), or the code of a lookup's error (docs/errors.md).

            Examples:
              chorus check invoices/ --offline
              chorus check FA-2026-0042.xml --env sandbox
              chorus check FA-2026-0042.xml --recipient 12345678200028 --env sim
              chorus check FA-2026-0042.xml --syntax IN_DP_E1_CII_16B --offline
              chorus check out/*.pdf --json
              chorus check --rules
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Invoice files, or folders of invoice files.", valueName: "file|dir"))
    var paths: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Check against this recipient's requirements instead of the one each file names.", valueName: "siret"))
    var recipient: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Check as deposited with this syntaxeFlux (IN_DP_E1_UBL_INVOICE, IN_DP_E1_CII_16B, IN_DP_E2_CII_FACTURX...); "
                + "without it the syntax is the one detected from each file.", valueName: "syntaxe"))
    var syntax: String?

    @Flag(name: .long, help: "Skip the live lookups (recipient, services, engagements, supplier); no network.")
    var offline = false

    @Flag(name: .long, help: "List the rules (id, severity, scope, business term, confidence) and exit.")
    var rules = false

    /// Files larger than this are not read: the platform refuses them anyway (10 Mo), and reading a
    /// stray multi-gigabyte file would only cost memory. Room is left for the 120 Mo attachment rule.
    static let largestRead = 128 * 1024 * 1024

    func validate() throws {
        if rules { return }
        if paths.isEmpty { throw ValidationError("give at least one invoice file or folder") }
        if let recipient, !(recipient.count == 14 && recipient.allSatisfy(\.isNumber)) {
            throw ValidationError("--recipient must be a 14-digit SIRET")
        }
        if let syntax, !Vocabulary.syntaxesFlux.contains(syntax) {
            throw ValidationError(
                "unknown syntax '\(syntax)' (the official syntaxeFlux values: "
                    + Vocabulary.syntaxesFlux.joined(separator: ", ") + ")")
        }
        if offline, recipient != nil { throw ValidationError("--recipient needs the live lookups; drop --offline") }
    }

    func run() async throws {
        if rules {
            CheckOutput.printRules(json: global.json)
            return
        }
        var errors = 0
        try await global.run { () throws(ChorusError) in
            let files = try DepositBatch.files(in: paths)
            var lookup: RecipientLookup?
            if !offline {
                let live = LiveRecipientLookup(client: try await global.makeClient())
                lookup = recipient.map { FixedRecipientLookup(siret: $0, base: live) } ?? live
            }
            let today = ChorusDate.day(Date())
            var reports: [(file: String, findings: [CheckFinding])] = []
            for file in files {
                let findings: [CheckFinding]
                let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int ?? 0
                if size > Self.largestRead, let rule = CheckRules.rule("file-too-large") {
                    // Far past the platform's limit: say so without reading it into memory.
                    findings = [
                        CheckFinding(
                            rule: rule.id, severity: rule.severity, file: file, path: "", line: nil,
                            message: rule.render([:], format: nil), meaning: rule.meaningEN, fix: rule.fix)
                    ]
                } else if let data = FileManager.default.contents(atPath: file) {
                    findings = try await InvoiceChecker.check(
                        [UInt8](data), name: (file as NSString).lastPathComponent, syntax: syntax, today: today,
                        lookup: lookup)
                } else {
                    findings = [
                        CheckFinding(
                            rule: "file-unreadable", severity: .error, file: file, path: "", line: nil,
                            message: "cannot read '\(file)': no such file, or it is a folder",
                            meaning: "The file cannot be read.", fix: "Give the path of an invoice file.")
                    ]
                }
                reports.append((file, findings))
                errors += findings.filter { $0.severity == .error }.count
            }
            CheckOutput.print(reports, json: global.json, quiet: global.quiet)
        }
        if errors > 0 { throw ExitCode(ExitStatus.usage) }
    }
}

/// Looks up one given recipient whatever the file names (`--recipient`), and the supplier as usual.
struct FixedRecipientLookup: RecipientLookup {
    let siret: String
    let base: RecipientLookup

    func recipient(siret _: String, serviceCode: String?, engagement: String?) async throws(ChorusError)
        -> RecipientInfo?
    {
        try await base.recipient(siret: siret, serviceCode: serviceCode, engagement: engagement)
    }

    func supplier(siret: String) async throws(ChorusError) -> SupplierInfo? {
        try await base.supplier(siret: siret)
    }
}

/// How `chorus check` prints its findings.
enum CheckOutput {
    static func print(_ reports: [(file: String, findings: [CheckFinding])], json: Bool, quiet: Bool) {
        let all = reports.flatMap(\.findings)
        let errors = all.filter { $0.severity == .error }.count
        let warnings = all.count - errors
        if json {
            let files: [JSONValue] = reports.map { report in
                [
                    "file": .string(report.file),
                    "ok": .bool(!report.findings.contains { $0.severity == .error }),
                    "findings": .array(report.findings.map(object)),
                ]
            }
            Swift.print(
                JSONValue.object([
                    "files": .array(files), "errors": .integer(Int64(errors)), "warnings": .integer(Int64(warnings)),
                ]).serialized())
            return
        }
        for report in reports {
            if report.findings.isEmpty {
                if !quiet { Swift.print("\(report.file): ok") }
                continue
            }
            for f in report.findings {
                let term = CheckRules.rule(f.rule)?.term ?? "-"
                let place = f.line.map { ":\($0)" } ?? ""
                Swift.print("\(report.file)\(place): \(f.severity.rawValue) [\(f.rule)] \(term)\(f.path.isEmpty ? "" : " " + f.path)")
                Swift.print("  platform: \(f.message.trimmingCharacters(in: .whitespaces))")
                Swift.print("  meaning:  \(f.meaning)")
                Swift.print("  fix:      \(f.fix)")
            }
        }
        if !quiet {
            Swift.print("\(reports.count) file\(reports.count == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        }
    }

    /// The rule set, one line per rule (or JSON with every field).
    static func printRules(json: Bool) {
        if json {
            let rules: [JSONValue] = CheckRules.all.map { r in
                [
                    "id": .string(r.id), "severity": .string(r.severity.rawValue), "scope": .string(r.scope.rawValue),
                    "term": .string(r.term), "ubl": .string(r.ubl), "cii": .string(r.cii),
                    "code": r.code.map { .string($0) } ?? .null, "message": .string(r.message),
                    "meaning": .string(r.meaningEN), "meaning_fr": .string(r.meaningFR), "fix": .string(r.fix),
                    "source": .string(r.source), "confidence": .string(r.confidence.rawValue),
                ]
            }
            Swift.print(JSONValue.array(rules).serialized())
            return
        }
        for r in CheckRules.all {
            Swift.print(
                "\(r.id.padding(toLength: 31, withPad: " ", startingAt: 0)) \(r.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                    + "\(r.scope.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(r.term.padding(toLength: 24, withPad: " ", startingAt: 0)) \(r.confidence.rawValue)")
        }
    }

    static func object(_ f: CheckFinding) -> JSONValue {
        let rule = CheckRules.rule(f.rule)
        return [
            "rule": .string(f.rule), "severity": .string(f.severity.rawValue), "file": .string(f.file),
            "term": .string(rule?.term ?? "-"), "path": .string(f.path),
            "line": f.line.map { .integer(Int64($0)) } ?? .null, "message": .string(f.message),
            "meaning": .string(f.meaning), "fix": .string(f.fix),
            "confidence": rule.map { .string($0.confidence.rawValue) } ?? .null,
        ]
    }
}
