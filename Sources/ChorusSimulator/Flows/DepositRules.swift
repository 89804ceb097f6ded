import ChorusAPI
import Foundation

/// Reads a deposited file the way Chorus Pro's integration does and decides its fate: the invoices to
/// create, the errors per invoice (`listeErreurDP`) and the errors of the file (`listeErreurTechnique`).
/// The decisions are ChorusAPI's rule set (``CheckRules``, run by ``InvoiceChecker``) on the simulator's
/// own directory: the same rules and messages as `chorus check` (docs/check.md).
enum DepositRules {
    struct Result {
        var invoices: [Invoice] = []
        var dpErrors: [DPError] = []
        var technicalErrors: [TechnicalError] = []
        /// Invoices read from the file (integrated or not).
        var read = 0
    }

    /// Which file format each readable syntax expects.
    static let formats = CheckRules.formats

    /// The `modeDepot` an invoice from a flux of this syntax shows.
    static func modeDepot(for syntaxe: String) -> String {
        syntaxe.hasPrefix("IN_DP_E2") ? "EDI_MIXTE" : "EDI_XML_STRUCT"
    }

    static func read(
        files: [DepositedFile], syntaxe: String, account: TechnicalAccountRecord, state: SimulatorState, now: Date,
        today: String? = nil
    ) -> Result {
        let today = today ?? ChorusDate.day(now)
        var result = Result()
        guard formats[syntaxe] != nil else {
            result.technicalErrors.append(
                TechnicalError(
                    code: "ERR_FMT_001",
                    message: "IRRECEVABILITE: la syntaxe \(syntaxe) n'est pas prise en charge par le simulateur.",
                    nature: "TECHNIQUE"))
            return result
        }
        var numbersInFlux = Set<String>()
        for file in files {
            var context = file.context
            context.today = today
            var errors = file.findings.filter { $0.severity == .error }
            if let document = context.document, !errors.contains(where: { isTechnical($0.rule) }) {
                context.recipient = recipientStatus(document.recipientSiret, state: state)
                context.supplier = supplierInfo(document.supplierSiret, account: account, state: state)
                errors += InvoiceChecker.run(context, scopes: [.live, .platform]).filter { $0.severity == .error }
            }
            guard let document = context.document, !errors.contains(where: { isTechnical($0.rule) }) else {
                for error in errors {
                    result.technicalErrors.append(
                        TechnicalError(
                            code: CheckRules.rule(error.rule)?.code ?? "ERR_XSD_001", message: error.message,
                            nature: "TECHNIQUE"))
                }
                continue
            }
            result.read += 1
            let number = document.invoiceNumber ?? ""
            let supplierText = document.supplierSiret ?? ""
            let recipientText = document.recipientSiret ?? ""
            func reject(_ message: String) {
                result.dpErrors.append(
                    DPError(invoiceNumber: number, supplier: supplierText, recipient: recipientText, message: message))
            }
            guard errors.isEmpty else {
                errors.forEach { reject($0.message) }
                continue
            }
            guard let supplier = state.structure(siret: supplierText),
                let recipient = state.structure(siret: recipientText)
            else { continue }  // the rules above reject both cases
            // Pending flux count too: the same number deposited twice within the processing delay is a duplicate.
            let duplicate = state.invoiceNumberUsed(supplierId: supplier.id, number: number)
            if duplicate || numbersInFlux.contains(number) {
                reject(render("invoice-duplicate", ["value": number, "siret": supplier.siret], format: document.format))
                continue
            }
            numbersInFlux.insert(number)
            let service = document.serviceCode.flatMap { recipient.service(code: $0) }
            let ht = document.totalHT ?? 0
            let tva = document.totalTVA ?? 0
            let ttc = document.totalTTC ?? ht + tva
            result.invoices.append(
                Invoice(
                    id: 0, number: number, type: document.kind.rawValue, modeDepot: modeDepot(for: syntaxe),
                    supplierId: supplier.id, supplierServiceId: supplier.services.first?.id, recipientId: recipient.id,
                    serviceId: service?.id, engagement: document.engagementNumber,
                    issueDate: document.issueDate ?? ChorusDate.day(now), depositedAt: now,
                    currency: document.currency ?? "EUR", totalHT: ht, totalTVA: tva, totalTTC: ttc,
                    amountDue: document.amountDue ?? ttc, file: StoredFile(key: file.key, size: file.bytes.count),
                    fileName: file.name, history: []))
        }
        return result
    }

    /// The rules that make a whole file irrecevable (listeErreurTechnique) rather than one invoice.
    static func isTechnical(_ rule: String) -> Bool {
        CheckRules.rule(rule)?.scope == .file
    }

    /// The recipient as the simulator's directory knows it; a private structure is no recipient.
    static func recipientStatus(_ siret: String?, state: SimulatorState) -> CheckContext.Recipient {
        guard let siret, let s = state.structure(siret: siret), s.kind == "PUBLIQUE" else { return .unknown }
        return .known(recipientInfo(s, state: state))
    }

    /// What the rules read of a recipient structure (the same facts `LiveRecipientLookup` asks the API for).
    static func recipientInfo(_ s: Structure, state: SimulatorState) -> RecipientInfo {
        RecipientInfo(
            siret: s.siret, active: s.active, serviceRequired: s.serviceRequired,
            engagementRequired: s.engagementRequired, serviceOrEngagement: s.engagementOrService,
            managesEngagements: s.engagementOrService,
            services: Dictionary(
                s.services.map {
                    ($0.code, RecipientInfo.ServiceInfo(
                        active: $0.active, engagementRequired: $0.engagementRequired && !s.engagementRequired))
                }, uniquingKeysWith: { a, _ in a }),
            engagements: Set(state.engagements.filter { $0.structureId == s.id }.map(\.number)))
    }

    static func supplierInfo(_ siret: String?, account: TechnicalAccountRecord, state: SimulatorState) -> SupplierInfo? {
        guard let siret else { return nil }
        guard let s = state.structure(siret: siret) else { return SupplierInfo(known: false) }
        return SupplierInfo(known: true, isPrivate: s.kind == "PRIVEE", attached: account.structureIds.contains(s.id))
    }

    /// A rule's message with its values.
    static func render(_ id: String, _ values: [String: String], format: InvoiceDocument.Format?) -> String {
        CheckRules.rule(id)?.render(values, format: format) ?? id
    }

    /// The routing rules of a recipient (service, engagement) for soumettreFacture, whose fields are JSON
    /// members rather than XML elements; the messages are the rules' own. Nil when the invoice may be sent.
    static func routingError(
        recipient: Structure, supplier: Structure?, serviceCode: String?, engagement: String?, serviceTag: String,
        engagementTag: String
    ) -> String? {
        // A JSON member has no `.value`, unlike the XML elements the rules' messages name.
        routingRule(
            recipient: recipient, supplier: supplier, serviceCode: serviceCode, engagement: engagement,
            serviceTag: serviceTag, engagementTag: engagementTag
        ).map { $0.replacingOccurrences(of: ".value)", with: ")").replacingOccurrences(of: ".value,", with: ",") }
    }

    private static func routingRule(
        recipient: Structure, supplier: Structure?, serviceCode: String?, engagement: String?, serviceTag: String,
        engagementTag: String
    ) -> String? {
        let siret = recipient.siret
        let code = serviceCode.flatMap { $0.isEmpty ? nil : $0 }
        let ej = engagement.flatMap { $0.isEmpty ? nil : $0 }
        if !recipient.active { return render("recipient-inactive", ["siret": siret], format: nil) }
        if let code {
            guard let service = recipient.service(code: code) else {
                return render("service-unknown", ["value": code, "tag": serviceTag, "siret": siret], format: nil)
            }
            if !service.active { return render("service-inactive", ["value": code, "siret": siret], format: nil) }
            if code == "FACTURES_PUBLIQUES", supplier?.kind == "PRIVEE" {
                return render("service-factures-publiques", ["tag": serviceTag], format: nil)
            }
            if service.engagementRequired, ej == nil {
                return render(
                    "service-engagement-required", ["service": code, "siret": siret, "tag": engagementTag], format: nil)
            }
        }
        if recipient.engagementOrService, code == nil, ej == nil {
            return render(
                "service-or-engagement-required", ["siret": siret, "tag": serviceTag, "tag2": engagementTag],
                format: nil)
        }
        if recipient.serviceRequired, code == nil {
            return render("service-required", ["siret": siret, "tag": serviceTag], format: nil)
        }
        if recipient.engagementRequired, ej == nil {
            return render("engagement-required", ["siret": siret, "tag": engagementTag], format: nil)
        }
        if let ej, ej.count > 50 {
            return render("engagement-too-long", ["value": ej, "tag": engagementTag], format: nil)
        }
        return nil
    }
}
