import ChorusAPI
import ChorusLedger
import Foundation

extension DepositBatch {
    /// Runs the rules of docs/check.md on every file that passed the ledger's own checks (the same run as
    /// `chorus check`, live rules through `lookup`); a file with an error is not sent, and its first error
    /// is its refusal. `chorus deposit --no-check` skips this.
    mutating func checkRules(lookup: RecipientLookup) async throws(ChorusError) {
        let today = ChorusDate.day(Date())
        for index in items.indices {
            guard items[index].candidate != nil, let data = FileManager.default.contents(atPath: items[index].file)
            else { continue }
            let name = (items[index].file as NSString).lastPathComponent
            let errors = try await InvoiceChecker.check([UInt8](data), name: name, today: today, lookup: lookup)
                .filter { $0.severity == .error }
            guard let first = errors.first else { continue }
            var reason = "'\(first.file)'\(first.line.map { " line \($0)" } ?? ""): [\(first.rule)] "
                + first.message.trimmingCharacters(in: .whitespaces) + " Fix: \(first.fix)"
            if errors.count > 1 { reason += " (\(errors.count - 1) more: chorus check \(name))" }
            items[index].number = items[index].invoice
            items[index].candidate = nil
            items[index].outcome = .invalid(reason)
        }
    }
}
