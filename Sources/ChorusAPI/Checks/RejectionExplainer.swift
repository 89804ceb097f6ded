import Foundation
import JSONValue

/// What a platform rejection means: the rule behind it (when chorus knows it), its business term, meaning
/// and fix.
public struct Explanation: Sendable, Equatable, Codable {
    /// The text explained (a libelle, a report line, a message code).
    public var message: String
    /// The rule's id, or nil when only the message code is known.
    public var rule: String?
    /// The business term (`BT-81`), `-` for the file itself.
    public var term: String
    /// The element named by the message (dotted, as the platform writes it), when it names one.
    public var element: String?
    public var meaningFR: String
    public var meaningEN: String
    public var fix: String
    public var source: String
    public var confidence: CheckRule.Confidence?
}

/// Turns Chorus Pro's rejection texts back into rules: a `libelle`, a line of `listeErreurDP` /
/// `listeErreurTechnique`, or a `*_MSG_*` code. It reads the same templates the simulator writes with, so
/// every simulator rejection is explained.
public enum RejectionExplainer {
    /// The explanations of `text`: one per rule whose message it matches (usually one), or the message
    /// code's meaning; empty when chorus does not know it.
    public static func explain(_ text: String) -> [Explanation] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // The platform's lines are short; a longer text is no rejection line (and the matching, with its
        // lazy groups, is kept away from texts of any size).
        guard !trimmed.isEmpty, trimmed.utf8.count <= maximumLength else { return [] }
        // A bare code: the rules that carry it, else its known meaning.
        if isCode(trimmed) {
            let rules = CheckRules.all.filter { $0.code == trimmed }
            if !rules.isEmpty { return rules.map { explanation($0, message: trimmed, element: nil) } }
            return codeMeaning(trimmed, message: trimmed).map { [$0] } ?? []
        }
        // A technical line is written "CODE: text" by chorus; a business libelle "CODE - text".
        var body = trimmed
        var code: String?
        for separator in [": ", " - "] {
            if let range = trimmed.range(of: separator), isCode(String(trimmed[..<range.lowerBound])) {
                code = String(trimmed[..<range.lowerBound])
                body = String(trimmed[range.upperBound...])
                break
            }
        }
        var found: [Explanation] = []
        for rule in CheckRules.all {
            for candidate in [trimmed, body] {
                guard let values = match(rule.message, candidate) else { continue }
                let element = values["tag"]
                // A shared wording ("L'element ... est obligatoire.") belongs to the rule whose element it names.
                if let element, rule.message.contains("{tag}"), !names(rule, element) { continue }
                found.append(explanation(rule, message: trimmed, element: element))
                break
            }
        }
        if found.isEmpty, let tag = match(CheckRules.mandatory, body)?["tag"] {
            // A mandatory element chorus has no rule for: still say which element.
            return [
                Explanation(
                    message: trimmed, rule: nil, term: "-", element: tag,
                    meaningFR: "L'élément \(tag) est obligatoire et absent de la facture.",
                    meaningEN: "The element \(tag) is mandatory and missing from the invoice.",
                    fix: "Fill the element \(tag.replacingOccurrences(of: ".", with: "/")) in the invoice.",
                    source: "https://github.com/OCA/l10n-france/issues/414 (wording)", confidence: .verified)
            ]
        }
        if found.isEmpty, let code = code ?? ReturnCodes.messageCode(in: trimmed),
            let meaning = codeMeaning(code, message: trimmed)
        {
            return [meaning]
        }
        return found
    }

    /// The explanations of every rejection line of a flow report (`consulterCRDetaille`), in order.
    public static func explain(report: JSONValue) -> [(line: String, explanations: [Explanation])] {
        let dp = report["listeErreurDP"].map { $0.arrayValue ?? [$0] } ?? []
        let technical = report["listeErreurTechnique"].map { $0.arrayValue ?? [$0] } ?? []
        var lines = dp.compactMap { $0["libelleErreurDP"]?.stringValue }
        lines += technical.compactMap { error in
            error["libelleErreur"]?.stringValue.map { (error["codeErreur"]?.stringValue.map { "\($0): " } ?? "") + $0 }
        }
        return lines.map { ($0, explain($0)) }
    }

    /// The explanations of a report text as the ledger keeps it (lines joined by "; ").
    public static func explain(reportText: String) -> [(line: String, explanations: [Explanation])] {
        reportText.components(separatedBy: "; ").filter { !$0.isEmpty }.map { ($0, explain($0)) }
    }

    /// One line per rejection: "rule (BT-xx): meaning — fix", for `chorus watch` and `chorus ledger show`.
    public static func summary(_ explanations: [Explanation]) -> String? {
        guard !explanations.isEmpty else { return nil }
        return explanations.map { e in
            "\(e.rule ?? "code") (\(e.term)): \(e.meaningEN) Fix: \(e.fix)"
        }.joined(separator: " | ")
    }

    /// Longest text explained, in bytes.
    public static let maximumLength = 2048

    static func isCode(_ text: String) -> Bool {
        let parts = text.split(separator: "_")
        return parts.count >= 3 && !text.contains(" ")
            && (text.contains("_MSG_") || (parts[0] == "ERR" && parts.last!.allSatisfy(\.isNumber)))
    }

    private static func codeMeaning(_ code: String, message: String) -> Explanation? {
        guard let meaning = ReturnCodes.byMessageCode[code] else { return nil }
        return Explanation(
            message: message, rule: nil, term: "-", element: nil, meaningFR: meaning.meaning,
            meaningEN: meaning.meaning, fix: meaning.isNoResult ? "Check the identifier you asked for and the environment." : "See docs/errors.md.",
            source: "docs/errors.md (message codes)", confidence: nil)
    }

    private static func explanation(_ rule: CheckRule, message: String, element: String?) -> Explanation {
        Explanation(
            message: message, rule: rule.id, term: rule.term, element: element, meaningFR: rule.meaningFR,
            meaningEN: rule.meaningEN, fix: rule.fix, source: rule.source, confidence: rule.confidence)
    }

    /// Whether the platform's dotted `element` is the one `rule` reads (in either syntax, with or without
    /// `FichierXml.` and `.value`).
    private static func names(_ rule: CheckRule, _ element: String) -> Bool {
        var tag = element
        if tag.hasPrefix("FichierXml.") { tag.removeFirst("FichierXml.".count) }
        if tag.hasSuffix(".value") { tag.removeLast(".value".count) }
        let own = [rule.tag(for: .ubl), rule.tag(for: .cii)]
        if own.contains(tag) { return true }
        // The party rules read a fallback element too (PartyLegalEntity/CompanyID, the party's ID).
        let parties = ["supplier-missing": ["AccountingSupplierParty", "SellerTradeParty"],
                       "recipient-missing": ["AccountingCustomerParty", "BuyerTradeParty"]]
        return parties[rule.id]?.contains(where: tag.contains) ?? false
    }

    /// The placeholder values when `text` has the shape of `template` (accents, case and spacing ignored).
    static func match(_ template: String, _ text: String) -> [String: String]? {
        let pattern = fold(template)
        let subject = fold(text)
        // Most templates differ from the text in their first words: no regular expression for those.
        let head = pattern.prefix { $0 != "{" }
        guard subject.lowercased().hasPrefix(head.lowercased()) else { return nil }
        var names: [String] = []
        var regex = "^"
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            regex += NSRegularExpression.escapedPattern(for: String(rest[..<open]))
            names.append(String(rest[rest.index(after: open)..<close]))
            regex += "(.*?)"
            rest = rest[rest.index(after: close)...]
        }
        regex += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
        guard
            let expression = try? NSRegularExpression(
                pattern: regex, options: [.dotMatchesLineSeparators, .caseInsensitive]),
            let result = expression.firstMatch(
                in: subject, range: NSRange(subject.startIndex..., in: subject))
        else { return nil }
        var values: [String: String] = [:]
        for (index, name) in names.enumerated() {
            if let range = Range(result.range(at: index + 1), in: subject) { values[name] = String(subject[range]) }
        }
        return values
    }

    /// Accents removed (the platform writes "reference" for "référencé"), typographic apostrophes
    /// straightened, runs of spaces collapsed, trimmed.
    static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive], locale: nil).replacingOccurrences(of: "’", with: "'")
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
