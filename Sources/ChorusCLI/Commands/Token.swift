import ArgumentParser
import ChorusAPI
import Foundation
import JSONValue

/// `chorus token`: gets a PISTE access token and shows its expiry and scope.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Get a PISTE access token and show its expiry and scope.",
        discussion: """
            Proves the application credentials (client id and secret) work in the active environment. The token comes from the cache when a valid one exists; it is printed only with --show-secret.

            Examples:
              chorus token --env sandbox
              chorus token --profile qualif --json
              TOKEN=$(chorus token --show-secret --raw -q)
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Also print the access token itself (a secret: it grants API access for up to an hour).")
    var showSecret = false

    @Flag(name: .long, help: "With --show-secret: print only the token, for shell substitution.")
    var raw = false

    func run() async throws {
        try await global.run { () throws(ChorusError) in
            let client = try await global.makeClient()
            let info: TokenInfo
            do throws(ChorusError) {
                info = try await client.tokenInfo(includeToken: showSecret)
                await client.shutdown()
            } catch {
                await client.shutdown()
                throw error
            }
            if raw, let token = info.token {
                print(token)
                return
            }
            let expires = ISO8601DateFormatter().string(from: info.expiresAt)
            if global.json {
                var members: [String: JSONValue] = [
                    "environment": .string(info.environment), "client_id": .string(info.clientId),
                    "token_type": .string(info.tokenType), "expires_at": .string(expires),
                    "expires_in": .integer(Int64(info.expiresIn)), "from_cache": .bool(info.fromCache),
                    "token_url": .string(client.environment.endpoints.tokenURL.absoluteString),
                ]
                members["scope"] = info.scope.map(JSONValue.string) ?? .null
                if let token = info.token { members["access_token"] = .string(token) }
                print(JSONValue.object(members).serialized(JSONWriteOptions(pretty: standardOutputIsTerminal)))
                return
            }
            print("environment: \(client.environment.name.rawValue)")
            print("token URL:   \(client.environment.endpoints.tokenURL.absoluteString)")
            print("client id:   \(info.clientId)")
            print("scope:       \(info.scope ?? "(none)")")
            print("type:        \(info.tokenType)")
            print("expires:     \(expires) (in \(info.expiresIn) s)")
            print("source:      \(info.fromCache ? "cache" : "new token from PISTE")")
            if let token = info.token { print("token:       \(token)") }
        }
    }
}
