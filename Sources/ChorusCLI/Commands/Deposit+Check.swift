import ChorusAPI
import ChorusLedger
import Foundation

extension DepositBatch {
    /// Runs the ledger's pre-deposit check (``DepositLedger/check(_:allRules:)``: the rules of docs/check.md,
    /// as `chorus check` runs them, live rules through the ledger's lookup, each recipient once) on every
    /// file that passed the ledger's own checks; a file with an error is not sent, and its first error is
    /// its refusal. `chorus deposit --no-check` (`allRules` false) keeps only the recipient's requirements.
    mutating func checkRules(allRules: Bool) async throws(ChorusError) {
        for index in items.indices {
            guard let candidate = items[index].candidate,
                let refusal = try await ledger.check(candidate, allRules: allRules)
            else { continue }
            items[index].number = items[index].invoice
            items[index].candidate = nil
            items[index].outcome = .invalid(refusal)
        }
    }
}
