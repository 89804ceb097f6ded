/// One rule Chorus Pro applies to a deposited invoice, as data: what it reads, what the platform says when
/// it fails, what that means and how to fix it. `chorus check`, `chorus explain`, the pre-deposit checks of
/// `chorus deposit` and the simulator's flux processing all read the same ``CheckRules/all``, so a check
/// that passes locally and a deposit the simulator rejects cannot disagree (docs/check.md).
///
/// Immutable, so a class behaves as a value would; a class so that running the rule set on each deposit
/// the simulator reads does not copy (retain and release) a dozen strings per rule.
public final class CheckRule: Sendable {
    /// Error (the platform rejects the invoice) or warning (it may, or a later step will).
    public enum Severity: String, Sendable, Codable {
        case error, warning
    }

    /// How sure we are that Chorus Pro applies the rule as written (docs/check.md, Confidence).
    public enum Confidence: String, Sendable, Codable {
        /// The platform's message or limit was read in a public source (a report, an official document).
        case verified
        /// One public source claims it (a vendor page, one integrator's observation).
        case claimed
        /// Deduced from the standard (EN 16931) or from how the platform behaves elsewhere; not observed.
        case inferred
    }

    /// What the rule needs to be evaluated.
    public enum Scope: String, Sendable, Codable, CaseIterable {
        /// The file itself: size, name, readable XML, a recognised invoice.
        case file
        /// The invoice's own content.
        case document
        /// The directory, live: the recipient's settings, services and engagements, the supplier's
        /// existence (lookups; skipped by `chorus check --offline`).
        case live
        /// The attachments carried inside the invoice.
        case attachment
        /// Only the platform knows (the technical account's structures, invoices already deposited):
        /// the simulator applies it, `chorus explain` explains it, `chorus check` cannot see it.
        case platform

        /// Its position in `allCases`.
        var ordinal: Int {
            switch self {
            case .file: 0
            case .document: 1
            case .live: 2
            case .attachment: 3
            case .platform: 4
            }
        }
    }

    /// Stable id (`payment-means-missing`): the name of the broken sample in `examples/invoices/broken/`.
    public let id: String
    public let severity: Severity
    public let scope: Scope
    /// The EN 16931 business term(s) read (`BT-81`), or `-` for the file itself.
    public let term: String
    /// The element read in a UBL invoice, from the root (`PaymentMeans/PaymentMeansCode`); empty when none.
    public let ubl: String
    /// The element read in a CII invoice (also the XML of a Factur-X PDF), from the root.
    public let cii: String
    /// The platform's message code (`GDP_MSG_11.022`, `ERR_XSD_001`) when known.
    public let code: String?
    /// The platform's message, with `{name}` placeholders (`{tag}` is the element as the platform writes
    /// it, dotted from the root). Check findings, simulator rejections and `chorus explain` use it.
    public let message: String
    /// What it means, in French.
    public let meaningFR: String
    /// What it means, in English.
    public let meaningEN: String
    /// What to change.
    public let fix: String
    /// Where the rule comes from (a public URL or the reference document and section).
    public let source: String
    public let confidence: Confidence
    /// Finds the rule's failures in an invoice; empty when it passes.
    let evaluate: @Sendable (CheckContext) -> [CheckHit]

    init(
        id: String, severity: Severity = .error, scope: Scope, term: String, at paths: XMLPaths = ("", ""),
        code: String? = nil, message: String, meaningFR: String, meaningEN: String, fix: String, source: String,
        confidence: Confidence, evaluate: @escaping @Sendable (CheckContext) -> [CheckHit] = { _ in [] }
    ) {
        self.id = id
        self.severity = severity
        self.scope = scope
        self.term = term
        self.ubl = paths.ubl
        self.cii = paths.cii
        self.code = code
        self.message = message
        self.meaningFR = meaningFR
        self.meaningEN = meaningEN
        self.fix = fix
        self.source = source
        self.confidence = confidence
        self.evaluate = evaluate
    }

    /// The element this rule reads in `format`, from the root, slash-separated.
    public func path(for format: InvoiceDocument.Format?) -> String {
        format == .ubl ? ubl : cii
    }

    /// The element as the platform's messages write it (`SupplyChainTradeTransaction.….TypeCode`).
    public func tag(for format: InvoiceDocument.Format?) -> String {
        path(for: format).replacingASCII("/", with: ".")
    }

    /// The message with its placeholders filled (`tag` is filled from `format` unless given). One pass
    /// over the message: a `{name}` inside a value (text read from an invoice) is kept as written, never
    /// filled in turn; a placeholder without a value stays as it is.
    public func render(_ values: [String: String], format: InvoiceDocument.Format?) -> String {
        Self.fill(message, values) { $0 == "tag" ? tag(for: format) : nil }
    }

    /// `template` with each `{name}` replaced by `values[name]` (or `fallback(name)`), in one pass.
    static func fill(_ template: String, _ values: [String: String], fallback: (String) -> String? = { _ in nil })
        -> String
    {
        let bytes = Array(template.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"),
                let close = bytes[(index + 1)...].firstIndex(where: { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "{") }),
                bytes[close] == UInt8(ascii: "}"), close > index + 1
            {
                let name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                if let value = values[name] ?? fallback(name) {
                    output.append(contentsOf: value.utf8)
                    index = close + 1
                    continue
                }
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A finding of this rule.
    func finding(_ hit: CheckHit, format: InvoiceDocument.Format?, file: String) -> CheckFinding {
        var values = hit.values
        if values["tag"] == nil, let tag = hit.tag { values["tag"] = tag }
        return CheckFinding(
            rule: id, severity: severity, file: file, path: hit.path ?? path(for: format), line: hit.line,
            message: render(values, format: format), meaning: meaningEN, fix: fix)
    }
}

/// Where a field lives in each syntax, slash-separated from the root element.
typealias XMLPaths = (ubl: String, cii: String)

/// One failure found by a rule: the values of its message and where in the file.
public struct CheckHit: Sendable {
    var values: [String: String]
    /// The element, when it is not the rule's own (an attachment's), slash-separated.
    var path: String?
    /// The element in the platform's dotted form, when it is not the rule's own.
    var tag: String?
    var line: Int?

    init(_ values: [String: String] = [:], path: String? = nil, tag: String? = nil, line: Int? = nil) {
        self.values = values
        self.path = path
        self.tag = tag
        self.line = line
    }
}

/// What `chorus check` reports for one rule that failed on one file.
public struct CheckFinding: Sendable, Equatable, Codable {
    /// The rule's id.
    public var rule: String
    public var severity: CheckRule.Severity
    /// The file checked (as named on the command line, or the member of an archive).
    public var file: String
    /// The element, slash-separated from the root; empty for the file itself.
    public var path: String
    /// The line of the element (or of its closest existing parent) in the XML; nil when not in the XML.
    public var line: Int?
    /// The platform's message (what Chorus Pro would write in the flow report).
    public var message: String
    /// What it means.
    public var meaning: String
    /// What to change.
    public var fix: String

    public init(
        rule: String, severity: CheckRule.Severity, file: String, path: String, line: Int?, message: String,
        meaning: String, fix: String
    ) {
        self.rule = rule
        self.severity = severity
        self.file = file
        self.path = path
        self.line = line
        self.message = message
        self.meaning = meaning
        self.fix = fix
    }
}
