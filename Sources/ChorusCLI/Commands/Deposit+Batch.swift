import ChorusAPI
import ChorusLedger
import Dispatch
import Foundation
import JSONValue

/// The files of one `chorus deposit` run, their checks, deposits, progress and summary.
struct DepositBatch {
    /// Where one file ended.
    enum Outcome: Sendable {
        case pending
        case invalid(String)
        case refused(ChorusError)
        /// The rows of the file's invoices (one, or one per invoice of a lot).
        case deposited([LedgerEntry], reconciled: Bool, forced: Bool)
        case uncertain(ChorusError)
        case failed(ChorusError)
    }

    struct Item: Sendable {
        var file: String
        var candidate: DepositCandidate?
        var outcome: Outcome = .pending
        /// The invoice number, once read (kept when a later check refuses the file); a lot's, joined.
        var invoice: String {
            candidate.map { $0.invoices.map(\.invoiceNumber).joined(separator: ",") } ?? number ?? "-"
        }
        var number: String?
    }

    let ledger: DepositLedger
    let json: Bool
    let quiet: Bool
    var items: [Item] = []
    /// The plugin hooks to fire (Deposit+Hooks); nil fires none.
    var hooks: DepositHooks?

    init(ledger: DepositLedger, json: Bool, quiet: Bool) {
        self.ledger = ledger
        self.json = json
        self.quiet = quiet
    }

    /// The files named, folders replaced by the invoice files directly inside them (sorted, no dotfiles).
    static func files(in paths: [String]) throws(ChorusError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                files.append(path)
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files += names.sorted().filter { name in
                !name.hasPrefix(".") && DepositCandidate.extensions.contains { name.lowercased().hasSuffix("." + $0) }
            }.map { (path as NSString).appendingPathComponent($0) }
        }
        return files
    }

    /// Runs the pre-deposit checks of every file; a file naming the same invoice as an earlier one is refused.
    mutating func check(_ files: [String]) {
        var seen: [String: String] = [:]
        items = files.map { file in
            var item = Item(file: file)
            let name = (file as NSString).lastPathComponent
            // A file too large is refused by its size alone, without reading it.
            let bytes: [UInt8]
            switch DepositCandidate.readFile(atPath: file, name: name) {
            case .success(let read): bytes = read
            case .failure(.missing):
                item.outcome = .invalid("cannot read '\(file)': no such file")
                return item
            case .failure(.unreadable):
                item.outcome = .invalid("cannot read '\(file)': it is a folder or unreadable")
                return item
            case .failure(.tooLarge(let refusal)):
                item.outcome = .invalid(refusal)
                return item
            }
            do throws(FluxDeposit.Refusal) {
                let candidate = try DepositCandidate(bytes: bytes, name: name)
                let again = candidate.invoices.first { seen[$0.supplierSiret + " " + $0.invoiceNumber] != nil }
                if let again {
                    let earlier = seen[again.supplierSiret + " " + again.invoiceNumber] ?? "?"
                    item.number = candidate.invoices.map(\.invoiceNumber).joined(separator: ",")
                    item.outcome = .invalid(
                        "'\(again.name)' is invoice \(again.invoiceNumber) of \(again.supplierSiret) again (as \(earlier))"
                    )
                } else {
                    for invoice in candidate.invoices { seen[invoice.supplierSiret + " " + invoice.invoiceNumber] = invoice.name }
                    item.candidate = candidate
                }
            } catch {
                item.outcome = .invalid(error.description)
            }
            return item
        }
    }

    /// Prints what a deposit would do; sends nothing. Returns the exit code a real run would risk.
    func plan(force: Bool) throws(ChorusError) -> Int32 {
        var rows: [[String]] = []
        var objects: [JSONValue] = []
        var status: Int32 = 0
        for item in items {
            let name = (item.file as NSString).lastPathComponent
            var action: String
            var detail = ""
            if case .invalid(let reason) = item.outcome {
                (action, detail) = ("invalid", reason)
                status = max(status, 2)
            } else if let candidate = item.candidate {
                switch try ledger.preview(candidate, force: force) {
                case .send: action = "send"
                case .forcedResend(let row):
                    (action, detail) = (
                        "send (forced)", "already \(row.state.rawValue) as flux \(row.fluxNumber ?? "?")"
                    )
                case .reconcileFirst(let row):
                    (action, detail) = (
                        "reconcile",
                        "\(row.state.rawValue) since \(ChorusDate.timestamp(row.updatedAt)): searched first, sent only if absent"
                    )
                case .refuse(let error):
                    (action, detail) = ("refused", error.message)
                    status = 9
                }
            } else {
                action = "?"
            }
            rows.append([name, item.invoice, action, detail])
            objects.append(
                .object([
                    "file": .string(item.file), "invoice": item.invoice == "-" ? .null : .string(item.invoice),
                    "action": .string(action), "detail": .string(detail),
                ]))
        }
        if json {
            print(JSONValue.object(["dry_run": true, "files": .array(objects)]).serialized())
        } else {
            print("Dry run: nothing is sent.")
            print(Self.table(["file", "invoice", "plan", "why"], rows))
        }
        return status
    }

    /// Deposits every checked file, at most `concurrency` at once, printing progress on stderr. After
    /// `stop` is raised (the first Ctrl-C), no new deposit starts; those in flight finish (sent, or
    /// uncertain when their answer is lost) and the others stay `pending`, untouched in the ledger.
    mutating func deposit(force: Bool, concurrency: Int, stop: TerminationSignals? = nil) async {
        let todo = items.indices.filter { items[$0].candidate != nil }
        let progress = Progress(total: todo.count, quiet: quiet || json)
        let ledger = self.ledger
        let hooks = self.hooks
        let snapshot = items
        var results: [(Int, Outcome)] = []
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            func launch() {
                guard next < todo.count, !(stop?.received ?? false) else { return }
                let index = todo[next]
                next += 1
                let candidate = snapshot[index].candidate!
                let file = snapshot[index].file
                group.addTask {
                    if let refusal = await hooks?.before(file: file) {
                        return (index, .refused(ChorusError(code: .business, message: refusal)))
                    }
                    do throws(ChorusError) {
                        let result = try await ledger.deposit(candidate, force: force)
                        await hooks?.after(file: file, entries: result.entries)
                        return (
                            index, .deposited(result.entries, reconciled: result.reconciled, forced: result.forced)
                        )
                    } catch {
                        switch error.code {
                        case .duplicate: return (index, .refused(error))
                        case .uncertain: return (index, .uncertain(error))
                        default: return (index, .failed(error))
                        }
                    }
                }
            }
            for _ in 0..<concurrency { launch() }
            for await (index, outcome) in group {
                results.append((index, outcome))
                progress.done(file: snapshot[index].file, outcome: Self.word(outcome))
                launch()
            }
        }
        for (index, outcome) in results { items[index].outcome = outcome }
        progress.finish()
    }

    /// Follows the flow reports of the deposited files until each is final or `timeout` passes.
    mutating func follow(timeout: Double) async {
        let deadline = Date().addingTimeInterval(timeout)
        var interval = 0.5
        var announced = Set<String>()
        while Date() < deadline {
            var pending = false
            for index in items.indices {
                guard case .deposited(var entries, let reconciled, let forced) = items[index].outcome else { continue }
                for (position, entry) in entries.enumerated() where !entry.state.isFinal {
                    if let after = try? await ledger.follow(entry) {
                        entries[position] = after
                        // flow.final once per flux (a lot's invoices share one).
                        if after.state.isFinal, let flux = after.fluxNumber, announced.insert(flux).inserted {
                            await hooks?.final(after)
                        }
                        if !after.state.isFinal, after.state != .checked { pending = true }
                    } else {
                        pending = true
                    }
                }
                items[index].outcome = .deposited(entries, reconciled: reconciled, forced: forced)
            }
            if !pending { return }
            try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
            interval = min(interval * 2, 10)
        }
    }

    /// Prints the summary table (or JSON), one line per invoice (a lot has one per invoice, sharing its
    /// flux), and returns the exit code.
    func summary(waited: Bool) -> Int32 {
        var status: Int32 = 0
        var rows: [[String]] = []
        var objects: [JSONValue] = []
        var counts: [String: Int] = [:]
        func line(_ item: Item, invoice: String, word: String, flux: String, detail: String) {
            counts[word, default: 0] += 1
            rows.append([(item.file as NSString).lastPathComponent, invoice, word, flux, detail])
            objects.append(
                .object([
                    "file": .string(item.file), "invoice": invoice == "-" ? .null : .string(invoice),
                    "outcome": .string(word), "numeroFluxDepot": flux == "-" ? .null : .string(flux),
                    "detail": .string(detail),
                ]))
        }
        for item in items {
            var detail = ""
            switch item.outcome {
            case .pending:
                detail = "not started (interrupted)"
                status = ExitStatus.interrupted
            case .invalid(let reason):
                detail = reason
                status = max(status, 2)
            case .refused(let error), .uncertain(let error):
                detail = error.message
                status = 9
            case .failed(let error):
                detail = error.description
                if status == 0 { status = error.exitCode }
            case .deposited(let entries, let reconciled, let forced):
                for entry in entries {
                    let detail = [
                        reconciled ? "found by reconciliation" : nil, forced ? "FORCED: sent again" : nil,
                        entry.lot.map { "in lot \($0)" }, entry.report,
                    ].compactMap { $0 }.joined(separator: "; ")
                    if entry.state == .rejected || entry.state == .partiallyIntegrated || entry.state == .checked {
                        if status == 0 { status = 8 }
                    } else if waited, !entry.state.isFinal, status == 0 {
                        status = 3
                    }
                    line(
                        item, invoice: entry.invoiceNumber, word: Self.word(entry.state), flux: entry.fluxNumber ?? "-",
                        detail: detail)
                }
                continue
            }
            line(item, invoice: item.invoice, word: Self.word(item.outcome), flux: "-", detail: detail)
        }
        if counts["pending", default: 0] > 0 { status = ExitStatus.interrupted }
        let totals = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        if json {
            print(
                JSONValue.object([
                    "files": .array(objects), "exit_code": .integer(Int64(status)),
                    "totals": .object(counts.mapValues { .integer(Int64($0)) }),
                ]).serialized())
        } else {
            print(Self.table(["file", "invoice", "outcome", "numeroFluxDepot", "detail"], rows))
            let lines = rows.count == items.count ? "" : " (\(rows.count) lines: a lot has one per invoice)"
            print("\(items.count) file(s)\(lines): \(totals)")
        }
        return status
    }

    /// One word for an outcome, as the summary counts it (a lot's: its first invoice's).
    static func word(_ outcome: Outcome) -> String {
        switch outcome {
        case .pending: return "pending"
        case .invalid: return "invalid"
        case .refused: return "refused"
        case .uncertain: return "uncertain"
        case .failed: return "failed"
        case .deposited(let entries, _, _): return word(entries[0].state)
        }
    }

    /// One word for the state of a deposited invoice.
    static func word(_ state: LedgerState) -> String {
        switch state {
        case .checked: return "incident"
        default: return state.rawValue
        }
    }

    /// Columns padded to their widest cell; the last column is left as is.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                column == row.count - 1
                    ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

/// Progress on stderr: a bar with done/total, rate and ETA on a terminal, one line per file otherwise.
final class Progress: @unchecked Sendable {
    let total: Int
    let quiet: Bool
    let terminal = isatty(STDERR_FILENO) != 0
    let started = Date()
    private var count = 0

    init(total: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet
    }

    func done(file: String, outcome: String) {
        count += 1
        guard !quiet else { return }
        if terminal {
            let elapsed = max(Date().timeIntervalSince(started), 0.001)
            let rate = Double(count) / elapsed
            let eta = rate > 0 ? Double(total - count) / rate : 0
            let width = 30
            let filled = total == 0 ? width : width * count / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = "\r[\(bar)] \(count)/\(total)  " + String(format: "%.1f/s  ETA %.0fs ", rate, eta)
            FileHandle.standardError.write(Data(line.utf8))
        } else {
            printError("[\(count)/\(total)] \((file as NSString).lastPathComponent): \(outcome)")
        }
    }

    func finish() {
        if terminal, !quiet, total > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
