import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// The doctor against a scripted PISTE: each onboarding failure is named at the right step.
@Suite struct DoctorTests {
    static let siret = "98765432100015"

    /// What the fake platform does differently from a healthy one.
    struct Faults: Sendable {
        var tokenRefused = false
        var unreachable = false
        var notSubscribed: Set<String> = []
        var accountRefused = false
        var attachedTo = [DoctorTests.siret]
        var structureKnown = true
        var passwordExpiresInDays = 200
    }

    func doctor(_ faults: Faults, options: DoctorOptions = DoctorOptions()) async throws -> DoctorReport {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-doctor-\(UUID().uuidString)")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let expiry = ISO8601DateFormatter().string(from: now.addingTimeInterval(Double(faults.passwordExpiresInDays) * 86_400 + 3600))
        let transport = FakeTransport { request in
            if faults.unreachable { return .failure(TransportFailure(.dnsFailure, "no such host")) }
            let path = request.url.path
            if path.hasSuffix("/oauth/token") {
                if faults.tokenRefused { return .success(.json(400, #"{"error":"invalid_client","error_description":"Client authentication failed"}"#)) }
                return .success(.json(200, #"{"access_token":"tok","token_type":"Bearer","expires_in":3600,"scope":"openid"}"#))
            }
            if !path.hasPrefix("/cpro/") { return .success(.json(404, "")) }
            let api = path.split(separator: "/")[1]
            if faults.notSubscribed.contains(String(api)) { return .success(HTTPResponse(status: 403, headers: [], body: [])) }
            if faults.accountRefused { return .success(.json(401, #"{"codeRetour":401,"libelle":"Accès refusé"}"#)) }
            switch path {
            case let p where p.hasSuffix("/health-check"):
                return .success(.json(200, #"{"statusCodeValue":200,"statusCode":"OK","body":"L'API CPRO est actuellement disponible et fonctionnel."}"#))
            case let p where p.hasSuffix("/structures/v1/rechercher"):
                if !faults.structureKnown { return .success(.json(200, #"{"codeRetour":20000,"libelle":"TRA_MSG_00.015 - La recherche n'a retourné aucun résultat"}"#)) }
                return .success(.json(200, #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructures":[{"idStructureCPP":77,"identifiantStructure":"\#(DoctorTests.siret)","designationStructure":"FOURNISSEUR ALPHA"}],"parametresRetour":{"pageCourante":1,"pages":1,"nbResultatsParPage":10,"total":1}}"#))
            case let p where p.hasSuffix("/monCompte/recuperer/rattachements"):
                let list = faults.attachedTo.map { #"{"identifiantStructure":"\#($0)","idStructure":77}"# }.joined(separator: ",")
                return .success(.json(200, #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructureRattachement":[\#(list)],"parametresRetour":{"pageCourante":1,"pages":1,"nbResultatsParPage":100,"total":\#(faults.attachedTo.count)}}"#))
            case let p where p.hasSuffix("/structures/v1/consulter"):
                return .success(.json(200, #"{"codeRetour":0,"libelle":"GCU_MSG_01_000","informationGenerales":{"dateExpirationMotPasseCompteTech":"\#(expiry)"}}"#))
            default:
                return .success(.json(200, #"{"codeRetour":0,"libelle":"TRA_MSG_00.000"}"#))
            }
        }
        let environment = [
            "CHORUS_OAUTH_URL": "https://oauth.example.test/api/oauth/token", "CHORUS_API_URL": "https://api.example.test",
            "CHORUS_CLIENT_ID": "client", "CHORUS_CLIENT_SECRET": "secret-value", "CHORUS_TECH_LOGIN": "TECH_1_\(DoctorTests.siret)@cpro.fr",
            "CHORUS_TECH_PASSWORD": "tech-secret", "CHORUS_SIRET": DoctorTests.siret,
            "XDG_CONFIG_HOME": home.path, "XDG_CACHE_HOME": home.path + "/cache", "XDG_STATE_HOME": home.path + "/state",
        ]
        return await Doctor(environment: environment, simulator: nil, transport: transport, options: options, now: { now }).run()
    }

    func statuses(_ report: DoctorReport) -> [String] { report.steps.map { "\($0.id)=\($0.status.rawValue)" } }

    @Test func aHealthyProfilePassesEveryStep() async throws {
        let report = try await doctor(Faults())
        #expect(statuses(report) == ["config=ok", "network=ok", "token=ok", "subscriptions=ok", "technical-account=ok",
                                     "structure=ok", "rattachement=ok", "password-expiry=ok"])
        #expect(report.exitCode == 0)
        #expect(report.steps[3].evidence == ["Transverses": "subscribed", "Structures": "subscribed", "Utilisateurs": "subscribed",
                                             "Factures": "subscribed", "EngagementsJuridiques": "subscribed",
                                             "FacturesTravaux": "subscribed",
                                             "AssistanceUtilisateur": "not probed (no public operation is known); accept its CGU if you need support requests (sollicitations)"])
    }

    @Test func missingOptionalAPIsAreAWarningThatNamesWhatTheyEnable() async throws {
        let report = try await doctor(Faults(notSubscribed: ["facturesTravaux", "engagementsJuridiques"]))
        #expect(report.steps[3].status == .warning)
        #expect(report.steps[3].cause == "optional APIs without accepted CGU: EngagementsJuridiques (checking engagement juridique numbers before deposit), FacturesTravaux (works invoices (factures de travaux))")
        #expect(report.steps[3].remediation?.hasPrefix("Only if you need them: ") == true)
        #expect(report.exitCode == 0)
        #expect(report.firstFailure == nil)
    }

    @Test func aMissingRequiredAPIStillFailsWhenOptionalOnesAreMissingToo() async throws {
        let report = try await doctor(Faults(notSubscribed: ["facturesTravaux", "factures"]))
        #expect(report.firstFailure?.cause == "the application has not accepted the CGU of: Factures")
        #expect(report.exitCode == 5)
    }

    @Test func theConfigurationStepNamesEveryMissingFieldAtOnce() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-doctor-\(UUID().uuidString)")
        let environment = [
            "CHORUS_OAUTH_URL": "https://oauth.example.test/api/oauth/token", "CHORUS_API_URL": "https://api.example.test",
            "XDG_CONFIG_HOME": home.path, "XDG_CACHE_HOME": home.path + "/cache",
        ]
        let report = await Doctor(
            environment: environment, simulator: nil, transport: FakeTransport { _ in .failure(TransportFailure(.other, "unused")) },
            options: DoctorOptions()
        ).run()
        #expect(report.firstFailure?.id == "config")
        #expect(
            report.firstFailure?.cause
                == "missing PISTE client id and PISTE client secret: set CHORUS_CLIENT_ID and CHORUS_CLIENT_SECRET, or "
                + "client_id and client_secret in a profile (see `chorus config init`); missing technical account login "
                + "and technical account password: set CHORUS_TECH_LOGIN and CHORUS_TECH_PASSWORD, or tech_login and "
                + "tech_password in a profile (see `chorus config init`)")
    }

    @Test func unreachableHostsStopAtTheNetwork() async throws {
        let report = try await doctor(Faults(unreachable: true))
        #expect(report.firstFailure?.id == "network")
        #expect(report.firstFailure?.cause == "cannot resolve host oauth.example.test")
        #expect(report.exitCode == 3)
        #expect(report.steps.dropFirst(2).allSatisfy { $0.status == .skipped })
    }

    @Test func refusedApplicationCredentials() async throws {
        let report = try await doctor(Faults(tokenRefused: true))
        #expect(report.firstFailure?.id == "token")
        #expect(report.firstFailure?.code == .authApp)
        #expect(report.firstFailure?.remediation?.contains("« Authentification »") == true)
        #expect(report.exitCode == 4)
    }

    @Test func cguNotAcceptedNamesTheAPI() async throws {
        let report = try await doctor(Faults(notSubscribed: ["structures"]))
        #expect(report.firstFailure?.id == "subscriptions")
        #expect(report.firstFailure?.cause == "the application has not accepted the CGU of: Structures")
        #expect(report.firstFailure?.remediation?.contains("« Modifier l'application » → tick the Structures API → « Valider mes choix CGU »") == true)
        #expect(report.firstFailure?.evidence["Structures"] == "403: CGU not accepted")
        #expect(report.exitCode == 5)
    }

    @Test func refusedTechnicalAccount() async throws {
        let report = try await doctor(Faults(accountRefused: true))
        #expect(report.steps[3].status == .ok)
        #expect(report.steps[3].evidence["Factures"] == "subscribed (technical account refused: see the next step)")
        #expect(report.firstFailure?.id == "technical-account")
        #expect(report.firstFailure?.evidence["status"] == "401")
        #expect(report.firstFailure?.remediation?.contains("424 days") == true)
        #expect(report.exitCode == 6)
    }

    @Test func structureUnknownInThisEnvironment() async throws {
        let report = try await doctor(Faults(structureKnown: false))
        #expect(report.firstFailure?.id == "structure")
        #expect(report.firstFailure?.cause == "SIRET 98765432100015 is not known in custom: it may be a production SIRET, or mistyped")
        #expect(report.exitCode == 7)
    }

    @Test func technicalAccountNotAttached() async throws {
        let report = try await doctor(Faults(attachedTo: ["11111111111111"]))
        #expect(report.firstFailure?.id == "rattachement")
        #expect(report.firstFailure?.evidence["attached_to"] == "11111111111111")
        #expect(report.firstFailure?.remediation?.contains("« Déclarer un raccordement PISTE »") == true)
        #expect(report.exitCode == 6)
    }

    @Test func passwordExpiringSoonIsAWarning() async throws {
        let soon = try await doctor(Faults(passwordExpiresInDays: 10))
        #expect(soon.steps.last?.status == .warning)
        #expect(soon.steps.last?.cause == "the technical password expires in 10 day(s)")
        #expect(soon.exitCode == 0)
        let expired = try await doctor(Faults(passwordExpiresInDays: -3))
        #expect(expired.firstFailure?.id == "password-expiry")
        #expect(expired.exitCode == 6)
    }

    @Test func reportsAsJSONAndJUnit() async throws {
        let report = try await doctor(Faults(notSubscribed: ["factures"]))
        let json = report.json
        #expect(json["ok"] == false)
        #expect(json["exit_code"] == 5)
        #expect(json["steps"]?.arrayValue?.count == 8)
        #expect(json["steps"]?.arrayValue?[3]["code"] == "NOT_SUBSCRIBED")
        #expect(report.junit.contains(#"tests="8" failures="1" errors="0" skipped="2""#))
        #expect(report.junit.contains(#"<failure message="the application has not accepted the CGU of: Factures" type="NOT_SUBSCRIBED">"#))
    }
}

extension DoctorTests {
    /// `--json` conforms to the schema shipped in docs/ (failing, warning, skipped and healthy runs).
    @Test func jsonConformsToTheShippedSchema() async throws {
        let schemaText = try String(contentsOf: ChorusSubprocess.packageRoot.appendingPathComponent("docs/doctor.schema.json"), encoding: .utf8)
        let check = JSONSchemaCheck(schema: try JSONValue.parse(schemaText))
        for faults in [Faults(), Faults(unreachable: true), Faults(notSubscribed: ["factures"]), Faults(passwordExpiresInDays: 3)] {
            let report = try await doctor(faults)
            #expect(check.violations(of: report.json) == [])
        }
        // The check itself catches a bad report.
        var broken = try await doctor(Faults()).json
        if case .object(var members) = broken {
            members["exit_code"] = 12
            members["extra"] = true
            broken = .object(members)
        }
        #expect(check.violations(of: broken).sorted() == ["$.exit_code: 12 is not one of [0,1,2,3,4,5,6,7,8]", "$: unexpected member 'extra'"].sorted())
    }
}
