extension CheckRules {
    /// What an identifier written for a party looks like.
    enum PartyIdentifier: Equatable {
        case missing, siret, siren, frenchVAT, foreign, malformed

        init(_ raw: String?) {
            let value = (raw ?? "").replacingASCII(" ", with: "")
            // ASCII without CR (one character per byte): the same classification on bytes.
            if let fast = String.withASCIICharacters(value, { Self.classify($0) }) {
                self = fast
                return
            }
            if value.isEmpty {
                self = .missing
            } else if value.allSatisfy(\.isNumber) {
                self = value.count == 14 ? .siret : value.count == 9 ? .siren : .malformed
            } else if value.prefix(2).allSatisfy({ $0.isASCII && $0.isLetter }), value.contains(where: \.isNumber) {
                self = value.uppercased().hasPrefix("FR") ? .frenchVAT : .foreign
            } else {
                self = .malformed
            }
        }

        /// The classification above for text of ASCII characters (digits are 0-9, letters A-Z and a-z).
        private static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> PartyIdentifier {
            func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
            func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
            if bytes.isEmpty { return .missing }
            if bytes.allSatisfy(isDigit) { return bytes.count == 14 ? .siret : bytes.count == 9 ? .siren : .malformed }
            if bytes.prefix(2).allSatisfy(isLetter), bytes.contains(where: isDigit) {
                return bytes.count >= 2 && bytes[0] | 0x20 == 0x66 && bytes[1] | 0x20 == 0x72 ? .frenchVAT : .foreign
            }
            return .malformed
        }
    }

    /// The supplier and recipient identifiers (SIRET) as written in the file.
    static let parties: [CheckRule] =
        party(
            "supplier", term: "BT-29, BT-30", at: Path.supplier, frFR: "fournisseur", frEN: "supplier",
            read: { $0.document?.supplierSiret })
        + party(
            "recipient", term: "BT-46, BT-47", at: Path.recipient, frFR: "destinataire", frEN: "recipient",
            read: { $0.document?.recipientSiret })

    private static func party(
        _ role: String, term: String, at paths: XMLPaths, frFR: String, frEN: String,
        read: @escaping @Sendable (CheckContext) -> String?
    ) -> [CheckRule] {
        let isSupplier = role == "supplier"
        @Sendable func when(_ kind: PartyIdentifier) -> @Sendable (CheckContext) -> [CheckHit] {
            { c in PartyIdentifier(read(c)) == kind ? [c.hit(paths, ["value": read(c) ?? ""])] : [] }
        }
        var rules = [
            CheckRule(
                id: "\(role)-missing", scope: .document, term: term, at: paths, message: mandatory,
                meaningFR: "La facture ne donne pas l'identifiant (SIRET) du \(frFR).",
                meaningEN: "The invoice does not give the \(frEN)'s identifier (SIRET).",
                fix: isSupplier
                    ? "Write the supplier's 14-digit SIRET with schemeID 0009 (UBL cac:PartyIdentification/cbc:ID, "
                        + "CII ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID)."
                    : "Write the public recipient's 14-digit SIRET with schemeID 0009 (UBL "
                        + "cac:AccountingCustomerParty/.../cbc:ID, CII ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID).",
                // Chorus Pro routes on these identifiers; its wording for a missing element (OCA#414).
                source: "https://github.com/odoo/odoo/pull/184871; https://github.com/odoo/odoo/pull/229014; "
                    + "wording as OCA/l10n-france#414",
                confidence: .verified, evaluate: when(.missing)),
            CheckRule(
                id: "\(role)-siren-not-siret", scope: .document, term: term, at: paths,
                message: "L'identifiant \(frFR) {value} (balise : {tag}.value) doit etre un SIRET de 14 chiffres, "
                    + "pas un SIREN. ",
                meaningFR: "L'identifiant du \(frFR) est un SIREN (9 chiffres) : Chorus Pro attend le SIRET "
                    + "(14 chiffres) de l'établissement.",
                meaningEN: "The \(frEN)'s identifier is a SIREN (9 digits): Chorus Pro wants the establishment's "
                    + "SIRET (14 digits).",
                fix: "Write the full 14-digit SIRET (SIREN + the 5-digit NIC of the establishment).",
                // invoicerr's live qualification run: flux CPP0011117000000000425899 was rejected with both
                // identifiers cut to the 9-digit SIREN; the full SIRET passed.
                source: "https://github.com/invoicerr-app/invoicerr (backend/src/modules/documents/transports/"
                    + "chorus-pro/choruspro.live.spec.ts: a live rejection of SIREN party ids, the full SIRET "
                    + "accepted); the wording is ours",
                confidence: .claimed, evaluate: when(.siren)),
            CheckRule(
                id: "\(role)-siret-format", scope: .document, term: term, at: paths,
                message: "L'identifiant \(frFR) {value} (balise : {tag}.value) n'est pas un SIRET valide "
                    + "(14 chiffres). ",
                meaningFR: "L'identifiant du \(frFR) n'a pas la forme d'un SIRET (14 chiffres).",
                meaningEN: "The \(frEN)'s identifier is not shaped like a SIRET (14 digits).",
                fix: "Write the 14-digit SIRET, digits only (spaces are tolerated by chorus, not by every platform).",
                source: "inferred (PISTE Swagger, Structures API, operation rechercherStructure, field "
                    + "typeIdentifiantStructure SIRET: French structures are known by their 14-digit INSEE SIRET)",
                confidence: .inferred,
                evaluate: { c in
                    let kind = PartyIdentifier(read(c))
                    let bad = kind == .malformed || (!isSupplier && (kind == .foreign || kind == .frenchVAT))
                    return bad ? [c.hit(paths, ["value": read(c) ?? ""])] : []
                }),
            CheckRule(
                id: "\(role)-siret-checksum", severity: .warning, scope: .document, term: term, at: paths,
                message: "La cle de controle du SIRET \(frFR) {value} (balise : {tag}.value) est invalide. ",
                meaningFR: "Le SIRET du \(frFR) ne passe pas la clé de Luhn : il est probablement mal recopié. "
                    + "(Les SIRET fictifs de qualification peuvent ne pas la passer.)",
                meaningEN: "The \(frEN)'s SIRET fails the Luhn check: it is probably mistyped. (Fictitious "
                    + "qualification SIRETs may fail it; hence a warning.)",
                fix: "Copy the SIRET again from the recipient's directory entry or from annuaire-entreprises.data.gouv.fr.",
                // INSEE numbers carry a Luhn key; AIFE's fictitious qualification SIRETs need not (invoicerr
                // found 3 of the 8 in its matelas de données failing it).
                source: "INSEE SIRET Luhn key; qualification SIRETs need not pass it: https://github.com/invoicerr-app/"
                    + "invoicerr (backend/src/modules/documents/transports/chorus-pro/choruspro.live.spec.ts)",
                confidence: .inferred,
                evaluate: { c in
                    guard PartyIdentifier(read(c)) == .siret, let value = read(c),
                        !Identifiers.siretChecksumPasses(value.replacingASCII(" ", with: ""))
                    else { return [] }
                    return [c.hit(paths, ["value": value])]
                }),
        ]
        if isSupplier {
            rules.insert(
                CheckRule(
                    id: "supplier-vat-not-siret", scope: .document, term: term, at: paths,
                    message: "L'identifiant fournisseur {value} (balise : {tag}.value) doit etre le SIRET pour un "
                        + "fournisseur francais. ",
                    meaningFR: "Le fournisseur est français mais son identifiant est un numéro de TVA : Chorus Pro "
                        + "attend son SIRET.",
                    meaningEN: "The supplier is French but its identifier is a VAT number: Chorus Pro wants its SIRET.",
                    fix: "Put the 14-digit SIRET (schemeID 0009) in the supplier's identifier; the VAT number goes in "
                        + "the tax registration (UBL cac:PartyTaxScheme, CII ram:SpecifiedTaxRegistration).",
                    // odoo/odoo#184871: a French supplier identified by its VAT number is rejected.
                    source: "https://github.com/odoo/odoo/pull/184871",
                    confidence: .verified, evaluate: when(.frenchVAT)),
                at: 2)
        }
        return rules
    }
}
