import ArgumentParser
import ChorusAPI
import ChorusLedger
import Foundation
import JSONValue

/// `chorus watch`: follows every deposited invoice of the ledger that is not final yet.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow the flow reports of deposited invoices and print each change.",
        discussion: """
            Every ledger row of this environment that is sent but not final is followed through its flow report (consulterCRDetaille) until it is integrated, partially integrated or rejected; each transition is recorded in the ledger and printed once, with the platform's text for a rejection or a partial integration. Rows that do not change print nothing.

            Examples:
              chorus watch --once
              chorus watch --interval 60 --env sandbox
              chorus watch --once --json
            """)

    /// The global options and `--ledger`, shared with `chorus ledger`.
    @OptionGroup var options: LedgerCommand.Options
    var global: GlobalOptions { options.global }

    @Flag(name: .long, help: "Poll once and exit.")
    var once = false

    @Option(name: .long, help: ArgumentHelp("Seconds between polls (1 to 86400).", valueName: "s"))
    var interval: Double = 30

    func validate() throws {
        if !(interval >= 1 && interval <= 86_400) {
            throw ValidationError("--interval must be between 1 and 86400 seconds")
        }
    }

    func run() async throws {
        try await global.run { () throws(ChorusError) in
            let ledger = try await options.open()
            while true {
                for (before, result) in await ledger.followAll() { report(before, result) }
                if once { return }
                if (try? ledger.entries(states: [.sent]).isEmpty) ?? true {
                    if !global.quiet { printError("chorus: every deposited invoice is final") }
                    return
                }
                do { try await Task.sleep(nanoseconds: UInt64(interval * 1e9)) } catch { return }
            }
        }
    }

    func report(_ before: LedgerEntry, _ result: Result<LedgerEntry, ChorusError>) {
        switch result {
        case .success(let after):
            if global.json {
                var object: [String: JSONValue] = [
                    "invoice_number": .string(after.invoiceNumber),
                    "numeroFluxDepot": after.fluxNumber.map { .string($0) } ?? .null,
                    "from": .string(before.flowState ?? before.state.rawValue),
                    "to": .string(after.flowState ?? after.state.rawValue),
                    "state": .string(after.state.rawValue),
                ]
                if let text = after.report {
                    object["report"] = .string(text)
                    object["explanations"] = Explain.explanationsJSON(text)
                }
                print(JSONValue.object(object).serialized())
            } else {
                var line =
                    "\(ChorusDate.timestamp(Date()))  \(after.invoiceNumber)  \(after.fluxNumber ?? "-")  "
                    + "\(before.flowState ?? before.state.rawValue) → \(after.flowState ?? after.state.rawValue)"
                if after.state != before.state { line += "  [\(after.state.rawValue)]" }
                if let text = after.report, after.state == .rejected || after.state == .partiallyIntegrated {
                    line += "  \(text)"
                    for why in Explain.whyLines(text) { line += "\n    why: \(why)" }
                }
                print(line)
            }
        case .failure(let error):
            printError("chorus: \(before.invoiceNumber): \(error.description)")
        }
    }
}
