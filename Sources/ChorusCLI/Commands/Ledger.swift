import ArgumentParser
import ChorusAPI
import ChorusLedger
import Foundation
import JSONValue

/// `chorus ledger list|show|export|reconcile`: reads and settles the deposit ledger of an environment.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Read the deposit ledger, export it, and reconcile uncertain deposits.",
        discussion: """
            The ledger keeps one row per invoice per environment (environment name, API URL and technical account): its file, content hash, invoice number, SIRETs, state (checked, reserved, sent, uncertain, integrated, partially_integrated, rejected), numeroFluxDepot and every attempt. See docs/ledger.md.

            Examples:
              chorus ledger list
              chorus ledger list --state uncertain --env sandbox
              chorus ledger show FA-2026-0042
              chorus ledger export --csv > deposits.csv
              chorus ledger reconcile
            """,
        subcommands: [List.self, Show.self, Export.self, Reconcile.self])

    /// The options every ledger subcommand shares.
    struct Options: ParsableArguments {
        @OptionGroup var global: GlobalOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Ledger file (default: CHORUS_LEDGER, then $XDG_STATE_HOME/chorus/ledger.sqlite).", valueName: "path"))
        var ledger: String?

        func open() async throws(ChorusError) -> DepositLedger {
            try await open(for: global.makeClient())
        }

        /// The ledger of `client`'s environment, from `--ledger`, `CHORUS_LEDGER` or the default path.
        func open(for client: ChorusClient) async throws(ChorusError) -> DepositLedger {
            try await LedgerProvider.standard(flag: ledger, environment: global.processEnvironment).ledger(for: client)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the rows of this environment, oldest first.",
            discussion: """
                Examples:
                  chorus ledger list
                  chorus ledger list --state uncertain --json
                """)
        @OptionGroup var options: Options
        @Option(name: .long, help: ArgumentHelp("Only rows in this state (repeatable).", valueName: "state"))
        var state: [String] = []

        func run() async throws {
            try await options.global.run { () throws(ChorusError) in
                var states: Set<LedgerState>?
                if !state.isEmpty {
                    states = []
                    for name in state {
                        guard let value = LedgerState(rawValue: name) else {
                            throw ChorusError(
                                code: .config,
                                message:
                                    "unknown state '\(name)' (the states: \(LedgerState.allCases.map(\.rawValue).joined(separator: ", ")))"
                            )
                        }
                        states?.insert(value)
                    }
                }
                let rows = try await options.open().entries(states: states)
                if options.global.json {
                    print(JSONValue.array(rows.map(LedgerCommand.json)).serialized())
                    return
                }
                print(
                    DepositBatch.table(
                        ["invoice", "supplier", "state", "numeroFluxDepot", "updated", "file"],
                        rows.map {
                            [
                                $0.invoiceNumber, $0.supplierSiret, $0.state.rawValue, $0.fluxNumber ?? "-",
                                ChorusDate.timestamp($0.updatedAt), $0.fileName,
                            ]
                        }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one invoice's row with every attempt.",
            discussion: """
                Examples:
                  chorus ledger show FA-2026-0042
                  chorus ledger show FA-2026-0042 --supplier 98765432100015 --json
                """)
        @OptionGroup var options: Options
        @Argument(help: ArgumentHelp("Invoice number.", valueName: "number")) var number: String
        @Option(
            name: .long,
            help: ArgumentHelp("Supplier SIRET, when several suppliers use the number.", valueName: "siret"))
        var supplier: String?

        func run() async throws {
            try await options.global.run { () throws(ChorusError) in
                let rows = try await options.open().entries().filter {
                    $0.invoiceNumber == number && (supplier == nil || $0.supplierSiret == supplier)
                }
                guard !rows.isEmpty else {
                    throw ChorusError(
                        code: .config, message: "invoice \(number) is not in the ledger of this environment")
                }
                for row in rows {
                    if options.global.json {
                        print(LedgerCommand.json(row).serialized(JSONWriteOptions(pretty: true)))
                        continue
                    }
                    print("invoice \(row.invoiceNumber) of \(row.supplierSiret) to \(row.recipientSiret ?? "?")")
                    print("  state      \(row.state.rawValue)" + (row.flowState.map { " (\($0))" } ?? ""))
                    print("  flux       \(row.fluxNumber ?? "-")  deposited \(row.depositDate ?? "-")")
                    print("  file       \(row.fileName)  \(row.syntax)  sha256 \(row.contentHash)")
                    if let lot = row.lot { print("  lot        \(lot) (its invoices share the flux)") }
                    print("  env        \(row.envName)  \(row.apiURL)  \(row.account)")
                    if let report = row.report {
                        print("  report     \(report)")
                        for why in Explain.whyLines(report) { print("  why        \(why)") }
                    }
                    for attempt in row.attempts {
                        print(
                            "  \(ChorusDate.timestamp(attempt.at))  \(attempt.action) \(attempt.outcome)"
                                + (attempt.detail.map { "  \($0)" } ?? ""))
                    }
                }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the rows of this environment as CSV (RFC 4180, one line per invoice).",
            discussion: """
                Examples:
                  chorus ledger export --csv > deposits.csv
                """)
        @OptionGroup var options: Options
        @Flag(name: .long, help: "CSV output (the only format; JSON is chorus ledger list --json).") var csv = false

        func run() async throws {
            try await options.global.run { () throws(ChorusError) in
                let rows = try await options.open().entries()
                print(LedgerCommand.csv(rows), terminator: "")
            }
        }
    }

    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle every uncertain or stale reserved row by searching the supplier's invoices.",
            discussion: """
                Each row is searched by invoice number over its deposit period (rechercherFactureParFournisseur). Found: the row becomes sent, with the flux number the platform lists. Absent once the settle window has passed (10 s on the simulator, one hour elsewhere): the row goes back to checked and the next chorus deposit sends it. Absent sooner: unchanged.

                Examples:
                  chorus ledger reconcile
                  chorus ledger reconcile --env sandbox --json
                """)
        @OptionGroup var options: Options

        func run() async throws {
            var status: Int32 = 0
            try await options.global.run { () throws(ChorusError) in
                let ledger = try await options.open()
                let results = await ledger.reconcileAll()
                var lines: [[String]] = []
                for (before, result) in results {
                    switch result {
                    case .success(let after):
                        let verdict = after.attempts.last?.outcome ?? "-"
                        if after.state == .uncertain { status = 9 }
                        lines.append([
                            before.invoiceNumber, before.state.rawValue, after.state.rawValue, verdict,
                            after.fluxNumber ?? "-",
                        ])
                    case .failure(let error):
                        status = 9
                        lines.append([
                            before.invoiceNumber, before.state.rawValue, before.state.rawValue, "error",
                            error.description,
                        ])
                    }
                }
                if options.global.json {
                    print(JSONValue.array(lines.map { .array($0.map { .string($0) }) }).serialized())
                } else if lines.isEmpty {
                    print("nothing to reconcile")
                } else {
                    print(DepositBatch.table(["invoice", "was", "now", "search", "numeroFluxDepot"], lines))
                }
            }
            if status != 0 { throw ExitCode(status) }
        }
    }

    /// A row as JSON (snake_case names, the platform's words kept).
    static func json(_ row: LedgerEntry) -> JSONValue {
        var object: [String: JSONValue] = [
            "invoice_number": .string(row.invoiceNumber), "supplier": .string(row.supplierSiret),
            "recipient": row.recipientSiret.map { .string($0) } ?? .null, "state": .string(row.state.rawValue),
            "numeroFluxDepot": row.fluxNumber.map { .string($0) } ?? .null,
            "dateDepot": row.depositDate.map { .string($0) } ?? .null, "file": .string(row.fileName),
            "syntaxeFlux": .string(row.syntax), "sha256": .string(row.contentHash), "environment": .string(row.envName),
            "api_url": .string(row.apiURL), "account": .string(row.account),
            "created_at": .string(ChorusDate.timestamp(row.createdAt)),
            "updated_at": .string(ChorusDate.timestamp(row.updatedAt)),
        ]
        object["attempts"] = .array(
            row.attempts.map {
                .object([
                    "at": .string(ChorusDate.timestamp($0.at)), "action": .string($0.action),
                    "outcome": .string($0.outcome),
                    "detail": $0.detail.map { .string($0) } ?? .null,
                ])
            })
        if let report = row.report {
            object["report"] = .string(report)
            object["explanations"] = Explain.explanationsJSON(report)
        }
        object["lot"] = row.lot.map { .string($0) } ?? .null
        return .object(object)
    }

    /// Rows as CSV with a header line.
    static func csv(_ rows: [LedgerEntry]) -> String {
        func field(_ text: String?) -> String {
            guard let text else { return "" }
            if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return text
        }
        var out =
            "invoice_number,supplier,recipient,state,numeroFluxDepot,dateDepot,file,syntaxeFlux,sha256,attempts,created_at,updated_at,report,lot\r\n"
        for row in rows {
            let fields: [String?] = [
                row.invoiceNumber, row.supplierSiret, row.recipientSiret, row.state.rawValue, row.fluxNumber,
                row.depositDate,
                row.fileName, row.syntax, row.contentHash, String(row.attempts.count),
                ChorusDate.timestamp(row.createdAt),
                ChorusDate.timestamp(row.updatedAt), row.report, row.lot,
            ]
            out += fields.map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
