import ChorusAPI
import Foundation

extension DepositLedger {
    /// The rules of the rule set the ledger runs even with `--no-check`, beyond the file's own
    /// (``DepositCandidate/requiredRules``): the recipient exists in this environment and the file carries
    /// what it requires (service code, engagement juridique).
    public static let requiredLiveRules: Set<String> = [
        "recipient-unknown", "service-required", "engagement-required", "service-or-engagement-required",
    ]

    /// The pre-deposit check that reads the invoice's content rules and asks the directory: the rule set
    /// of docs/check.md, as `chorus check` runs it, on the candidate's file (each invoice of a lot), the
    /// live rules through ``lookup`` (each recipient and supplier looked up once for the life of the
    /// ledger). `chorus deposit` and `chorus.invoices.deposit` both run it, so a refusal reads the same
    /// from the command and from a script.
    /// - Parameter allRules: false (`chorus deposit --no-check`) runs only ``requiredLiveRules``.
    /// - Returns: the refusal (``DepositCandidate/refusal(_:)``), or nil when the file may be sent.
    /// - Throws: the lookup's error (the check could not be made; nothing was reserved).
    public func check(_ candidate: DepositCandidate, allRules: Bool = true) async throws(ChorusError) -> String? {
        let findings = try await InvoiceChecker.check(
            candidate.bytes, name: candidate.flux.name,
            syntax: candidate.flux.syntax, today: ChorusDate.day(now()), lookup: lookup)
        return DepositCandidate.refusal(
            allRules ? findings : findings.filter { Self.requiredLiveRules.contains($0.rule) })
    }
}
