import ChorusAPI
import Foundation
import Testing

@Suite struct EnvironmentGuardTests {
    func endpoints(_ token: String, _ api: String) -> Endpoints {
        Endpoints(tokenURL: URL(string: token)!, apiBaseURL: URL(string: api)!)
    }

    func refusal(_ name: EnvironmentName, _ e: Endpoints, app: String? = nil) -> ChorusError? {
        do {
            _ = try EnvironmentGuard.validate(name: name, endpoints: e, appName: app)
            return nil
        } catch { return error }
    }

    @Test func officialPairsPass() throws {
        #expect(
            try EnvironmentGuard.validate(name: .sandbox, endpoints: .sandbox, appName: "APP_SANDBOX_me@x.org").isEmpty)
        #expect(try EnvironmentGuard.validate(name: .prod, endpoints: .prod, appName: "MON_APP").isEmpty)
        #expect(Endpoints.sandbox.tokenURL.absoluteString == "https://sandbox-oauth.piste.gouv.fr/api/oauth/token")
        #expect(Endpoints.prod.apiBaseURL.absoluteString == "https://api.piste.gouv.fr")
    }

    @Test func mixedEnvironmentsAreRefused() {
        let e = refusal(
            .custom, endpoints("https://sandbox-oauth.piste.gouv.fr/api/oauth/token", "https://api.piste.gouv.fr"))
        #expect(e?.code == .environment)
        #expect(e?.exitCode == 3)
        #expect(
            e?.message
                == "the token URL host sandbox-oauth.piste.gouv.fr is a sandbox host but the API host api.piste.gouv.fr is a prod host; both must belong to one environment"
        )
    }

    @Test func retiredHostsWarn() throws {
        let warnings = try EnvironmentGuard.validate(
            name: .custom,
            endpoints: endpoints(
                "https://sandbox-oauth.aife.economie.gouv.fr/api/oauth/token",
                "https://sandbox-api.aife.economie.gouv.fr"),
            appName: nil)
        #expect(warnings.count == 2)
        #expect(
            warnings[0]
                == "sandbox-oauth.aife.economie.gouv.fr is a retired PISTE host name (*.aife.economie.gouv.fr, decommissioned in 2023 without redirection); use sandbox-oauth.piste.gouv.fr"
        )
    }

    @Test func sandboxApplicationInProductionIsRefused() {
        let e = refusal(.prod, .prod, app: "APP_SANDBOX_me@example.org")
        #expect(e?.code == .config)
        #expect(
            e?.message
                == "the application APP_SANDBOX_me@example.org is a PISTE SANDBOX application; it cannot be used in production"
        )
    }

    @Test func plainHTTPOnlyOnLoopback() throws {
        _ = try EnvironmentGuard.validate(
            name: .custom, endpoints: endpoints("http://127.0.0.1:8080/api/oauth/token", "http://localhost:8081"),
            appName: nil)
        _ = try EnvironmentGuard.validate(
            name: .custom, endpoints: endpoints("http://[::1]:8080/api/oauth/token", "http://[::1]:8080"), appName: nil)
        let e = refusal(.custom, endpoints("http://proxy.example.org/api/oauth/token", "https://proxy.example.org"))
        #expect(e?.code == .config)
        #expect(
            e?.message
                == "the token URL http://proxy.example.org/api/oauth/token uses plain http:// on a non-loopback host; use https://"
        )
    }

    @Test func productionIsNeverImpliedByCustomURLs() {
        let e = refusal(.custom, .prod)
        #expect(
            e?.message
                == "the token URL oauth.piste.gouv.fr is a production PISTE host; production must be named with --env prod (or env = \"prod\" in the profile)"
        )
        #expect(refusal(.sandbox, .prod)?.code == .environment)
    }
}
