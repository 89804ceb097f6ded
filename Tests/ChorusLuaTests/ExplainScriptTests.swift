import ChorusAPI
import Foundation
import Testing

/// `chorus.invoices.explain` on every shape a script holds: a message, a flow report (with the platform's
/// single-object quirk), a chorus.Error, a ledger row; bad input fails at the script's line.
@Suite struct ExplainScriptTests {
    static let paymentMeans = "L'element FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement."
        + "SpecifiedTradeSettlementPaymentMeans.TypeCode.value est obligatoire."

    @Test func explainsMessagesReportsErrorsAndLedgerRows() async throws {
        let h = try Harness([:])
        let run = await h.run("""
            local function show(list)
              for _, e in ipairs(list) do print(e.known, e.rule, e.term, e.element) end
            end
            show(chorus.invoices.explain("\(Self.paymentMeans)"))
            show(chorus.invoices.explain("GDP_MSG_11.022"))
            show(chorus.invoices.explain{ etatCourantDepotFlux = "IN_REJETE",
              listeErreurDP = { libelleErreurDP = "Le code service est obligatoire pour le destinataire 12345678200028 (balise : BuyerReference.value). " },
              listeErreurTechnique = { { codeErreur = "ERR_XSD_001", libelleErreur = "IRRECEVABILITE: le fichier a.xml n'est pas un document XML bien forme." } } })
            show(chorus.invoices.explain{ code = "BUSINESS", libelle = "GDP_MSG_11.022 - La taille du fichier dépasse la taille maximale autorisée (10 Mo)." })
            show(chorus.invoices.explain{ report = "something unknown; GDP_MSG_11.022" })
            local e = chorus.invoices.explain("\(Self.paymentMeans)")[1]
            print(e.meaning)
            print(e.meaning_fr)
            print(e.fix ~= nil, e.source ~= nil, e.confidence)
            """)
        #expect(run.errorMessage == "")
        let rule = try #require(CheckRules.rule("payment-means-missing"))
        #expect(
            run.output == """
                true\tpayment-means-missing\tBT-81\tSupplyChainTradeTransaction.ApplicableHeaderTradeSettlement.SpecifiedTradeSettlementPaymentMeans.TypeCode
                true\tfile-too-large\t-\tnil
                true\tservice-required\tBT-10\tBuyerReference
                true\txml-malformed\t-\tnil
                true\tfile-too-large\t-\tnil
                false\tnil\tnil\tnil
                true\tfile-too-large\t-\tnil
                \(rule.meaningEN)
                \(rule.meaningFR)
                true\ttrue\tverified

                """)
    }

    @Test func badInputFailsAtTheScriptsLine() async throws {
        let h = try Harness([:])
        let run = await h.run("local x = 1\nchorus.invoices.explain(42)")
        #expect(run.errorMessage.contains("test.lua:2:"), "\(run.errorMessage)")
        #expect(run.errorMessage.contains("a message, a chorus.Error, a flow report or a ledger row expected, got number"))
        let table = await h.run("chorus.invoices.explain{}")
        #expect(table.errorMessage.contains("the table has no listeErreurDP"), "\(table.errorMessage)")
    }
}
