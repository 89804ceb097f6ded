import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// The deposit body is written in place (the base64 straight into the body); it must be exactly what
/// serialising the request's JSON object gives, for any file and any file name.
@Suite struct FluxDepositTests {
    static let names = [
        "f.xml", #"quote".xml"#, #"back\slash.xml"#, "facture été 2026 ✓.xml", "tab\there.xml", "line\nbreak.xml",
        #""fichierFlux":"".xml"#, "\u{1}control.xml", "/slash/in/name.xml",
    ]

    @Test(arguments: names)
    func bodyIsTheSerialisedRequestObject(name: String) throws {
        var generator = SystemRandomNumberGenerator()
        for length in [1, 2, 3, 4, 5, 6, 57, 58, 59, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for signed in [false, true] {
                let flux = try FluxDeposit(bytes: bytes, name: name, syntax: "IN_DP_E1_UBL_INVOICE", signed: signed)
                let expected: JSONValue = [
                    "fichierFlux": .string(Data(bytes).base64EncodedString()), "nomFichier": .string(name),
                    "syntaxeFlux": "IN_DP_E1_UBL_INVOICE", "avecSignature": .bool(signed),
                ]
                #expect(flux.requestBody == expected.serializedBytes(), "\(name.debugDescription), \(length) bytes")
                #expect(try JSONValue.parse(flux.requestBody) == expected)
            }
        }
    }

    /// The transport asks for the body window by window; any window is that slice of the whole body.
    @Test func everyWindowOfTheBodyIsItsSlice() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<200).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let flux = try FluxDeposit(bytes: bytes, name: #"a "b".xml"#, syntax: "IN_DP_E1_CII")
        let whole = flux.requestBody
        #expect(flux.body.count == whole.count)
        for start in 0...whole.count {
            for count in [0, 1, 2, 3, 5, 37, 64, whole.count - start] where start + count <= whole.count {
                let window = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                    flux.body.write(from: start, into: UnsafeMutableRawBufferPointer(out))
                    initialized = count
                }
                #expect(window == Array(whole[start..<(start + count)]), "\(start)+\(count)")
            }
        }
    }

    @Test func aDetectedSyntaxIsTheOneInTheBody() throws {
        let invoice = try InvoiceDocumentTests.sample("ubl-invoice.xml")
        let flux = try FluxDeposit(bytes: invoice, name: "invoice.xml")
        let body = try JSONValue.parse(flux.requestBody)
        #expect(flux.syntax == "IN_DP_E1_UBL_INVOICE")
        #expect(body["syntaxeFlux"] == "IN_DP_E1_UBL_INVOICE")
        #expect(body["fichierFlux"]?.stringValue.flatMap { Data(base64Encoded: $0) } == Data(invoice))
    }

    @Test func depositSendsTheBodyAsBuilt() async throws {
        let transport = FakeTransport.piste { _ in Fixture.ok(#"{"codeRetour":0,"numeroFluxDepot":"F1"}"#) }
        let flux = try FluxDeposit(bytes: Array("<x/>".utf8), name: "a.xml", syntax: "IN_DP_E1_UBL_INVOICE")
        let answer = try await Fixture.client(transport).deposit(flux)
        #expect(answer["numeroFluxDepot"] == "F1")
        let request = try #require(transport.apiRequests.first)
        #expect(request.url.path == "/cpro/factures/v1/deposer/flux")
        #expect(
            request.bodyText
                == #"{"avecSignature":false,"fichierFlux":"PHgvPg==","nomFichier":"a.xml","syntaxeFlux":"IN_DP_E1_UBL_INVOICE"}"#)
    }

    @Test func aDepositInProductionIsRefusedBeforeAnyRequest() async throws {
        let transport = FakeTransport.piste { _ in Fixture.ok() }
        let client = Fixture.client(transport, configuration: Fixture.configuration(.prod, endpoints: .prod))
        let flux = try FluxDeposit(bytes: Array("<x/>".utf8), name: "a.xml", syntax: "IN_DP_E1_UBL_INVOICE")
        let error = await Fixture.error { try await client.deposit(flux) }
        #expect(
            error?.message
                == "factures.deposerFluxFacture changes data in production; unattended writes need allow_writes = true in the profile"
        )
        #expect(transport.requests.isEmpty)
    }
}
