import ChorusSimulator
import Foundation
import JSONValue
import Testing

/// What real clients send, answered as HTTP and the platform do.
@Suite("HTTP fidelity")
struct HTTPFidelityTests {
    @Test func operationsWithoutRequiredMembersAcceptEmptyArrayObjectAndNothing() async throws {
        try await SimHarness.with { sim in
            for body in ["[]", "{}", "", "null"] {
                let answer = try await sim.call("/transverses/v1/recuperer/tauxtva", nil, rawBody: Array(body.utf8))
                #expect(answer.status == 200, "body \(body): \(answer.text)")
                #expect(answer.json?["codeRetour"] == 0)
            }
            // An operation with a required member names it.
            let missing = try await sim.call("/structures/v1/consulter", nil, rawBody: Array("[]".utf8))
            #expect(missing.status == 400)
            #expect(missing.text == #"{"codeRetour":20001,"libelle":"Le paramètre 'idStructureCPP' est obligatoire."}"#)
            try await sim.expectStillAnswering()
        }
    }

    @Test func sameInvoiceNumberTwiceWithinTheProcessingDelayIsADuplicate() async throws {
        try await SimHarness.with { sim in
            let invoice = try SimHarness.sample("ubl-invoice.xml")
            let first = try await sim.deposit(invoice, name: "a.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            // Deposited before the first one is processed.
            let second = try await sim.deposit(invoice, name: "b.xml", syntaxe: "IN_DP_E1_UBL_INVOICE")
            let firstReport = try await sim.finalReport(first)
            #expect(firstReport["etatCourantDepotFlux"] == "IN_INTEGRE")
            let secondReport = try await sim.finalReport(second)
            #expect(secondReport["etatCourantDepotFlux"] == "IN_REJETE")
            let message = secondReport["listeErreurDP"]?.arrayValue?.first?["libelleErreurDP"]?.stringValue ?? ""
            #expect(message.hasPrefix("La facture numero ") && message.contains(" existe deja pour le fournisseur "))
            try await sim.expectStillAnswering()
        }
    }

    @Test func expectContinueIsAnsweredBeforeTheBody() async throws {
        try await SimHarness.with { sim in
            let token = try await sim.token()
            let body = "{}"
            let socket = try RawHTTP(base: sim.base)
            defer { socket.finish() }
            socket.send(
                "POST /cpro/transverses/v1/recuperer/tauxtva HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer \(token)\r\ncpro-account: \(SimHarness.cproAccount(SimHarness.supplier))\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                    + "Expect: 100-continue\r\n\r\n")
            // Nothing else is sent until the interim answer arrives (the read gives up after 20 s).
            let interim = await socket.received { $0.contains("\r\n\r\n") }
            #expect(interim.text.hasPrefix("HTTP/1.1 100 Continue\r\n"))
            socket.send(body)
            let final = await socket.received { $0.contains("\"codeRetour\":0") }
            #expect(final.text.contains("HTTP/1.1 200 OK"))
            try await sim.expectStillAnswering()
        }
    }

    @Test func http10RequestGetsItsConnectionClosed() async throws {
        try await SimHarness.with { sim in
            let socket = try RawHTTP(base: sim.base)
            defer { socket.finish() }
            socket.send("GET /_sim/health HTTP/1.0\r\n\r\n")
            let answer = await socket.received()
            #expect(answer.closed)
            #expect(answer.text.contains(" 200 OK\r\n"))
            #expect(answer.text.contains(#""status":"ok""#))
            try await sim.expectStillAnswering()
        }
    }

    @Test func http11RequestWithoutHostIs400() async throws {
        try await SimHarness.with { sim in
            let socket = try RawHTTP(base: sim.base)
            defer { socket.finish() }
            socket.send("GET /_sim/health HTTP/1.1\r\n\r\n")
            let answer = await socket.received()
            #expect(answer.closed)
            #expect(answer.text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(answer.text.lowercased().contains("content-type: text/plain;charset=utf-8\r\n"))
            #expect(answer.text.hasSuffix("\r\n\r\nRequête invalide : l'en-tête Host est obligatoire en HTTP/1.1."))
            try await sim.expectStillAnswering()
        }
    }

    @Test func onlyApplicationJSONIsJSON() async throws {
        try await SimHarness.with { sim in
            for type in ["application/jsonx", "application/json-patch+json", "text/json"] {
                let answer = try await sim.call("/transverses/v1/recuperer/tauxtva", [:], contentType: type)
                #expect(answer.status == 415, "\(type)")
                #expect(answer.headers["content-type"] == "text/plain;charset=utf-8")
                #expect(answer.text == "Format de la requête non supporté")
            }
            for type in ["application/json", "Application/JSON; charset=UTF-8", "application/json;charset=utf-8"] {
                let answer = try await sim.call("/transverses/v1/recuperer/tauxtva", [:], contentType: type)
                #expect(answer.status == 200, "\(type)")
            }
        }
    }

    @Test func postOnHealthCheckAndUnknownOperationsAre404() async throws {
        try await SimHarness.with { sim in
            let post = try await sim.call("/transverses/v1/health-check", [:])
            #expect(post.status == 404)
            #expect(post.text == "API non trouvée")
            let bearer = try await sim.token()
            let unknown = try await sim.raw(
                "POST", "/cpro/transverses/v1/nexiste/pas",
                headers: [
                    ("Authorization", "Bearer \(bearer)"), ("cpro-account", SimHarness.cproAccount(SimHarness.supplier)),
                ], body: Array("{}".utf8))
            #expect(unknown.status == 404)
            #expect(unknown.headers["content-type"] == "text/plain;charset=utf-8")
            try await sim.expectStillAnswering()
        }
    }

    @Test func gateway401sCarryATypedBody() async throws {
        try await SimHarness.with { sim in
            let noAccount = try await sim.raw(
                "GET", "/cpro/transverses/v1/health-check", headers: [("Authorization", "Bearer \(try await sim.token())")])
            #expect(noAccount.status == 401)
            #expect(
                noAccount.headers["www-authenticate"]
                    == #"Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects""#)
            #expect(noAccount.headers["content-type"] == "text/plain;charset=utf-8")
            #expect(noAccount.text == "Problème d'authentification")
        }
    }
}
