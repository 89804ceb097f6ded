import ArgumentParser
import ChorusAPI
import Foundation
import JSONValue

/// `chorus explain MESSAGE|CODE|FLUX`: turns a platform rejection into its rule, business term, meaning and fix.
struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a Chorus Pro rejection: its rule, business term, meaning and fix.",
        discussion: """
            MESSAGE is a libelle or a line of listeErreurDP / listeErreurTechnique (quote it); CODE a message code such as GDP_MSG_11.022 or ERR_XSD_001; FLUX a numeroFluxDepot (CPP001...), whose flow report (consulterCRDetaille) is fetched in the chosen environment and every rejection line of it explained. Messages are matched against the rules of docs/check.md (accents, case and spacing ignored), the same rules chorus check and the simulator apply.

            The exit code is 0 when every message was explained, 1 when one is unknown to chorus, or the code of the report's fetch error (docs/errors.md).

            Examples:
              chorus explain "L'element FichierXml.ID.value est obligatoire."
              chorus explain GDP_MSG_11.022
              chorus explain CPP0011117000000000425903 --env sandbox
              chorus explain --json ERR_XSD_001
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("A message, a message code or a numeroFluxDepot.", valueName: "message|code|flux"))
    var words: [String] = []

    func validate() throws {
        if words.isEmpty { throw ValidationError("give a message, a message code or a numeroFluxDepot") }
    }

    /// A numeroFluxDepot: CPP followed by digits.
    static func isFlux(_ text: String) -> Bool {
        text.count >= 10 && text.hasPrefix("CPP") && text.dropFirst(3).allSatisfy(\.isNumber)
    }

    func run() async throws {
        let text = words.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        var unknown = false
        try await global.run { () throws(ChorusError) in
            var lines: [(line: String, explanations: [Explanation])]
            if Self.isFlux(text) {
                let client = try await global.makeClient()
                let report = try await client.call(
                    "transverses.consulterCRDetaille", payload: ["numeroFluxDepot": .string(text)])
                lines = RejectionExplainer.explain(report: report)
                if lines.isEmpty, !global.quiet, !global.json {
                    let state = report["etatCourantDepotFlux"]?.stringValue ?? "?"
                    print("\(text): \(state), no rejection in its report")
                }
            } else {
                lines = [(text, RejectionExplainer.explain(text))]
            }
            unknown = lines.contains { $0.explanations.isEmpty }
            Self.show(lines, json: global.json)
        }
        if unknown { throw ExitCode(ExitStatus.scriptError) }
    }

    static func show(_ lines: [(line: String, explanations: [Explanation])], json: Bool) {
        if json {
            let items: [JSONValue] = lines.map { item in
                ["message": .string(item.line), "explanations": .array(item.explanations.map(object))]
            }
            Swift.print(JSONValue.array(items).serialized())
            return
        }
        for (index, item) in lines.enumerated() {
            if index > 0 { Swift.print("") }
            Swift.print(item.line)
            if item.explanations.isEmpty {
                Swift.print("  unknown to chorus: no rule of docs/check.md matches this message")
            }
            for e in item.explanations {
                Swift.print("  rule:       \(e.rule ?? "-")  (\(e.term)\(e.element.map { ", " + $0 } ?? ""))")
                Swift.print("  meaning:    \(e.meaningEN)")
                Swift.print("  sens:       \(e.meaningFR)")
                Swift.print("  fix:        \(e.fix)")
                Swift.print("  source:     \(e.source)\(e.confidence.map { " [\($0.rawValue)]" } ?? "")")
            }
        }
    }

    static func object(_ e: Explanation) -> JSONValue {
        [
            "rule": e.rule.map { .string($0) } ?? .null, "term": .string(e.term),
            "element": e.element.map { .string($0) } ?? .null, "meaning": .string(e.meaningEN),
            "meaning_fr": .string(e.meaningFR), "fix": .string(e.fix), "source": .string(e.source),
            "confidence": e.confidence.map { .string($0.rawValue) } ?? .null,
        ]
    }
}

extension Explain {
    /// One line per explained rejection of a report text (as the ledger keeps it): "rule (BT-xx): meaning
    /// Fix: ...", for `chorus watch` and `chorus ledger show`.
    static func whyLines(_ report: String) -> [String] {
        RejectionExplainer.explain(reportText: report).flatMap(\.explanations).map { e in
            "\(e.rule ?? "code") (\(e.term)): \(e.meaningEN) Fix: \(e.fix)"
        }
    }

    /// The explanations of a report text, for JSON output.
    static func explanationsJSON(_ report: String) -> JSONValue {
        .array(RejectionExplainer.explain(reportText: report).flatMap(\.explanations).map(object))
    }
}
