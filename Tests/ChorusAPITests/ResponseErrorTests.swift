import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

@Suite struct ResponseErrorTests {
    func error(for response: HTTPResponse, operation: String = "rechercherStructure") async -> ChorusError? {
        let transport = FakeTransport.piste { _ in .success(response) }
        let client = Fixture.client(transport, configuration: Fixture.configuration(retry: .none))
        return await Fixture.error { try await client.call(operation, payload: [:]) }
    }

    @Test func codeRetourUnderHTTP200IsABusinessError() async {
        let e = await error(
            for: .json(200, #"{"codeRetour":20001,"libelle":"POQ_MSG_01.003 - Flux introuvable."}"#),
            operation: "consulterCRDetaille")
        #expect(e?.code == .business)
        #expect(e?.exitCode == 8)
        #expect(e?.status == 200)
        #expect(e?.codeRetour == 20001)
        #expect(e?.libelle == "POQ_MSG_01.003 - Flux introuvable.")
        #expect(
            e?.message
                == "Chorus Pro refused the request: POQ_MSG_01.003 - Flux introuvable. (flux not found: no deposit with this numeroFluxDepot in this environment)"
        )
        #expect(e?.isNoResult == true)
        #expect(e?.retryable == false)
        // The message says "Chorus Pro refused the request" once; the fix does not repeat it.
        #expect(e?.remediation?.hasPrefix("Read libelle") == true)
        #expect(e?.remediation?.contains("refused the request") == false)
    }

    @Test func aRefusedStatusChangeListsTheAllowedNextStatuses() async {
        let e = await error(
            for: .json(200, #"{"codeRetour":20003,"libelle":"Le passage de la facture F-1 du statut MANDATEE au statut REJETEE n'est pas autorisé."}"#),
            operation: "traiterUneFactureRecue")
        #expect(e?.code == .business)
        #expect(
            e?.remediation
                == "From MANDATEE, the recipient may move the invoice to: MISE_EN_PAIEMENT, COMPTABILISEE, "
                + "MISE_A_DISPOSITION_COMPTABLE. chorus.lookups.next_statuses(\"MANDATEE\") asks the platform itself.")
        let final = await error(
            for: .json(200, #"{"codeRetour":20003,"libelle":"Le passage de la facture F-1 du statut COMPTABILISEE au statut REJETEE n'est pas autorisé."}"#),
            operation: "traiterUneFactureRecue")
        #expect(final?.remediation?.hasPrefix("From COMPTABILISEE, the recipient cannot change the status any more.") == true)
    }

    @Test func http400BodyWithCodeRetourIsParsed() async {
        let e = await error(
            for: .json(400, #"{"codeRetour":20002,"libelle":"GDP_MSG_11.033"}"#), operation: "completerFacture")
        #expect(e?.code == .business)
        #expect(e?.status == 400)
        #expect(e?.codeRetour == 20002)
        #expect(
            e?.message
                == "Chorus Pro refused the request: GDP_MSG_11.033 (the invoice is not in status SUSPENDUE, so it cannot be completed)"
        )
        #expect(e?.isNoResult == false)
    }

    @Test func noResultSearchesAreFlagged() async {
        let e = await error(
            for: .json(
                200, #"{"codeRetour":20000,"libelle":"TRA_MSG_00.015 - La recherche n'a retourné aucun résultat"}"#),
            operation: "rechercherFactureRecipiendaire")
        #expect(e?.isNoResult == true)
    }

    @Test func unknownStructureIsAStructureError() async {
        let e = await error(
            for: .json(200, #"{"codeRetour":20005,"libelle":"La structure destinataire est inconnue"}"#),
            operation: "soumettreFacture")
        #expect(e?.code == .structure)
        #expect(e?.exitCode == 7)
        #expect(e?.remediation?.contains("matelas de données") == true)
    }

    @Test func forbiddenNamesTheSubscriptionAndTheCGUSteps() async {
        let e = await error(for: HTTPResponse(status: 403), operation: "structures.consulterStructure")
        #expect(e?.code == .notSubscribed)
        #expect(e?.exitCode == 5)
        #expect(
            e?.message
                == "access denied to /cpro/structures/v1/consulter (HTTP 403): the application is not allowed on the Structures API"
        )
        #expect(
            e?.remediation
                == "The PISTE application has not accepted the CGU of the API « Structures » in this environment: on piste.gouv.fr, your application → « Modifier l'application » → tick the Structures API → « Valider mes choix CGU », then « Sauvegarder l'application »."
        )
    }

    @Test func nonJSONAnswerIsExplained() async {
        let e = await error(
            for: HTTPResponse(
                status: 200, headers: [HTTPHeader("Content-Type", "text/html")],
                body: Array("<html>maintenance</html>".utf8)))
        #expect(e?.code == .environment)
        #expect(e?.message == "the API answered HTTP 200 with a body that is not JSON (text/html)")
    }

    @Test func serverErrorsAreRetryableReadsWithExit3() async {
        let e = await error(for: .json(500, #"{"message":"Erreur interne du serveur"}"#))
        #expect(e?.code == .server)
        #expect(e?.exitCode == 3)
        #expect(e?.retryable == true)
        #expect(e?.message == "the server failed (HTTP 500)")
    }

    @Test func transportFailuresMapToNetworkAndTimeout() async {
        let cases: [(TransportFailure, ChorusError.Code, String)] = [
            (TransportFailure(.dnsFailure, "x"), .network, "cannot resolve host sandbox-api.piste.gouv.fr"),
            (TransportFailure(.tlsFailure, "x"), .network, "TLS handshake with sandbox-api.piste.gouv.fr failed"),
            (TransportFailure(.connectTimeout, "x"), .timeout, "connecting to sandbox-api.piste.gouv.fr timed out"),
            (TransportFailure(.readTimeout, "x"), .timeout, "sandbox-api.piste.gouv.fr did not answer in time"),
            (TransportFailure(.cancelled, "x"), .cancelled, "the request to sandbox-api.piste.gouv.fr was cancelled"),
        ]
        for (failure, code, message) in cases {
            let transport = FakeTransport.piste { _ in .failure(failure) }
            let client = Fixture.client(transport, configuration: Fixture.configuration(retry: .none))
            let e = await Fixture.error { try await client.call("recupererPays") }
            #expect(e?.code == code)
            #expect(e?.message == message)
            #expect(e?.exitCode == (code == .cancelled ? 1 : 3))
        }
    }

    @Test func exitCodesFollowTheDesign() {
        let expected: [ChorusError.Code: Int32] = [
            .config: 2, .network: 3, .environment: 3, .timeout: 3, .rateLimited: 3, .server: 3, .authApp: 4,
            .notSubscribed: 5, .authAccount: 6, .structure: 7, .business: 8, .cancelled: 1, .uncertain: 9, .duplicate: 9,
        ]
        for code in ChorusError.Code.allCases { #expect(code.exitCode == expected[code], "\(code)") }
    }

    @Test func descriptionIsOneLine() {
        let e = ChorusError(
            code: .business, message: "Chorus Pro refused the request: X", status: 200, codeRetour: 20001,
            operation: "factures.deposerFluxFacture")
        #expect(
            e.description
                == "BUSINESS factures.deposerFluxFacture (HTTP 200, codeRetour 20001): Chorus Pro refused the request: X"
        )
    }

    @Test func singleElementListsAndNumericSiretsAreNormalised() async throws {
        let body = #"""
            {"codeRetour":0,"libelle":"TRA_MSG_00.000","etatCourantDepotFlux":"IN_INTEGRE_PARTIEL",
             "listeErreurDP":{"identifiantDestinataire":5734,"numeroDP":"F1"},
             "listeStructures":[{"identifiantStructure":12887,"typeIdentifiantStructure":"SIRET"},
                                {"identifiantStructure":1234567,"typeIdentifiantStructure":"RIDET"}]}
            """#
        let transport = FakeTransport.piste { _ in .success(.json(200, body)) }
        let result = try await Fixture.client(transport).call("consulterCRDetaille", payload: [:])
        #expect(result["listeErreurDP"] == .array([["identifiantDestinataire": "00000000005734", "numeroDP": "F1"]]))
        #expect(result["listeStructures"]?.arrayValue?[0]["identifiantStructure"] == "00000000012887")
        #expect(result["listeStructures"]?.arrayValue?[1]["identifiantStructure"] == .integer(1_234_567))
        #expect(result["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL")
    }

    @Test func chorusDateFormatsAreAccepted() throws {
        let utc = { (s: String) in ChorusDate.parse(s)?.timeIntervalSince1970 }
        #expect(utc("2018-02-16T15:10:25.536+01:00") == 1518790225.536)
        #expect(utc("2015-07-03T00:00:00+02:00") == 1_435_874_400)
        #expect(utc("2015-07-03T00:00:00Z") == 1_435_881_600)
        #expect(utc("2016-03-18") == 1_458_255_600)  // midnight in Paris (UTC+1)
        #expect(utc("2016-10-25 17:42") == 1_477_410_120)  // Paris summer time (UTC+2)
        #expect(ChorusDate.parse(.integer(1_458_255_600_000))?.timeIntervalSince1970 == 1_458_255_600)
        #expect(ChorusDate.parse("18/03/2016") == nil)
    }

    @Test func numericSiretsInPayloadsAreSentAsStrings() async throws {
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        _ = try await Fixture.client(transport).call(
            "rechercherStructure",
            payload: ["structure": ["identifiantStructure": 12887, "typeIdentifiantStructure": "SIRET"],
                      "parametres": ["nbResultatsParPage": 10]])
        #expect(transport.apiRequests[0].bodyText
            == #"{"parametres":{"nbResultatsParPage":10},"structure":{"identifiantStructure":"00000000012887","typeIdentifiantStructure":"SIRET"}}"#)
    }
}
