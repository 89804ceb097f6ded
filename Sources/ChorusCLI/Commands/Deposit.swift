import ArgumentParser
import ChorusAPI
import ChorusLedger
import Foundation
import JSONValue

/// `chorus deposit FILE|DIR...`: checks every file, then deposits through the ledger, and sums up.
struct Deposit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deposit invoice files through the ledger: each invoice reaches Chorus Pro once.",
        discussion: """
            Every file is checked first against the rules of docs/check.md, as chorus check runs them, with the same rule ids and messages: the file (readable, at most 10 Mo, a name and extension the platform accepts, UBL, CII or Factur-X detected from its content, well-formed), its content (invoice number, supplier and recipient SIRETs, payment means and IBAN, number length, SIRET format, cadre, currency, totals, dates, credit notes, attachments) and the directory, live (the recipient known and active, its service code or engagement juridique when it requires one, the supplier known); each recipient is looked up once per run. A file's first error is its refusal, as '<file>' line N: [rule-id] message Fix: ....

            A folder stands for the invoice files directly inside it. A lot (a .zip, .tar or .tar.gz of several invoices, one flux) has each of its invoices checked and kept as its own ledger row, all sharing the lot's flux number; a lot holding an invoice already deposited is refused, naming it. Then each invoice is reserved in the ledger (committed to disk before its request leaves), deposited, and recorded with its numeroFluxDepot.

            --no-check skips the content rules, never the ones the ledger needs: the file rules, the invoice number and both SIRETs (its keys), and the recipient's existence and requirements.

            An invoice already deposited in this environment is refused (exit 9) with its flux number and date; --force sends it again and says so. The same invoice number of the same supplier with another content is refused as a likely correction: give it a new number, or issue a credit note (avoir). A deposit whose answer was lost is UNCERTAIN: the next run (or chorus ledger reconcile) searches the supplier's invoices and sends it again only when the platform proves not to have it.

            The ledger is $XDG_STATE_HOME/chorus/ledger.sqlite (--ledger or CHORUS_LEDGER to change it); with the in-process simulator it lives in memory, beside a CHORUS_SIM_STATE file when there is one. See docs/ledger.md.

            Plugins on the search path (--plugin-dir folders, CHORUS_PLUGIN_PATH, ./plugins, ...) see the deposits through their hooks: deposit.before for each file (a handler that raises refuses it, before anything is reserved), deposit.after, and flow.final with --wait; see docs/plugins.md.

            The exit code is 0 when every file was deposited (and, with --wait, integrated), 9 when the ledger refused a file or a deposit is uncertain, 2 when a file failed the checks, 130 when interrupted, otherwise the code of the first error (docs/errors.md). The first Ctrl-C lets the deposits in flight finish and starts no other; a second one exits at once (what was in flight is reconciled by the next run).

            Examples:
              chorus deposit invoices/ --dry-run
              chorus deposit invoices/ --wait
              chorus deposit FA-2026-0042.xml --env sandbox --json
              chorus deposit out/*.pdf --concurrency 8 --ledger /srv/chorus/ledger.db
              chorus deposit invoices/ --plugin-dir /srv/chorus/plugins
            """)

    /// The global options and `--ledger`, shared with `chorus ledger`.
    @OptionGroup var options: LedgerCommand.Options
    var global: GlobalOptions { options.global }

    /// Where the plugins whose hooks see the deposits are looked for first.
    @OptionGroup var plugins: PluginOptions

    @Argument(help: ArgumentHelp("Invoice files, or folders of invoice files.", valueName: "file|dir"))
    var paths: [String] = []

    @Flag(name: .long, help: "Check everything and print what would be sent or refused; send nothing.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("Deposits in flight at once (1 to 32).", valueName: "n"))
    var concurrency = 4

    @Flag(name: .long, help: "Follow each flow report until it is final (integrated or rejected).")
    var wait = false

    @Option(name: .long, help: ArgumentHelp("Give up waiting after this many seconds.", valueName: "s"))
    var waitTimeout: Double = 600

    @Flag(name: .long, help: "Send even an invoice the ledger has as already deposited (creates a duplicate).")
    var force = false

    @Flag(
        name: .long,
        help: "Skip the content rules of docs/check.md; the file, the keys and the recipient are still checked.")
    var noCheck = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one invoice file or folder") }
        if !(1...32).contains(concurrency) { throw ValidationError("--concurrency must be between 1 and 32") }
        if !(waitTimeout > 0 && waitTimeout <= 86_400) {
            throw ValidationError("--wait-timeout must be between 0 and 86400 seconds")
        }
    }

    func run() async throws {
        var status: Int32 = 0
        try await global.run { () throws(ChorusError) in
            let files = try DepositBatch.files(in: paths)
            let client = try await global.makeClient()
            let ledger = try await options.open(for: client)
            var batch = DepositBatch(ledger: ledger, json: global.json, quiet: global.quiet)
            // The hooks of the plugins on the search path (docs/plugins.md, Hooks).
            batch.hooks = DepositHooks(host: global.pluginHost(pluginDirs: plugins.pluginDirs))
            batch.check(files)
            try await batch.checkRules(allRules: !noCheck)
            if dryRun {
                status = try batch.plan(force: force)
                return
            }
            // The first Ctrl-C lets the deposits in flight finish and starts no other; the rows in flight
            // stay reserved when a second one exits at once, and the next run reconciles them.
            let interrupt = TerminationSignals {
                printError(
                    "\nchorus: interrupted: finishing the deposits in flight, starting no other "
                        + "(Ctrl-C again exits at once; the next run reconciles what was in flight)")
            }
            await batch.deposit(force: force, concurrency: concurrency, stop: interrupt)
            if wait, !interrupt.received { await batch.follow(timeout: waitTimeout) }
            interrupt.stop()
            status = batch.summary(waited: wait && !interrupt.received)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
