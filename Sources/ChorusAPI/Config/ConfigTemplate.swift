import Foundation

/// The commented configuration file `chorus config init` writes.
public enum ConfigTemplate {
    /// The template text: every key documented, no value that could be mistaken for a real secret.
    public static let text = """
        # chorus configuration (TOML). Precedence: command-line flags > environment variables > profile > defaults.
        # Reference: docs/configuration.md. This file is created with mode 0600; keep it that way if it holds
        # a literal secret (chorus refuses a literal secret in a file other users can read).

        # Profile used when neither --profile nor CHORUS_PROFILE is given. Without it, chorus uses the
        # built-in simulator, so nothing here breaks the quickstart. Uncomment it once the profile below
        # holds your real credentials (`chorus config show --profile qualif` tells what is missing).
        # default_profile = "qualif"

        [profiles.qualif]
        # sim | sandbox (PISTE sandbox = Chorus Pro qualification) | prod | custom
        env = "sandbox"
        # PISTE application credentials: piste.gouv.fr, your application, tab « Authentification ».
        client_id = "00000000-0000-0000-0000-000000000000"
        # Give each secret one way: a literal value, a file (_file) or an environment variable (_env).
        client_secret_env = "QUALIF_CLIENT_SECRET"
        # client_secret_file = "/run/secrets/piste_client_secret"
        # Chorus Pro technical account (compte technique), sent in the cpro-account header.
        tech_login = "TECH_1_12345678200051@cpro.fr"
        tech_password_env = "QUALIF_TECH_PASSWORD"
        # Your own structure, used by `chorus doctor`.
        siret = "12345678200051"
        # Your PISTE application name; an APP_SANDBOX_* application is refused in production.
        app_name = "APP_SANDBOX_me@example.org"
        # Read timeout per request, in seconds (large deposits need more).
        # timeout = 60
        # Requests per second and requests in flight at most, for this environment.
        # rate_limit = 5
        # max_concurrency = 8

        # [profiles.production]
        # env = "prod"                 # production must always be named
        # client_id = "..."
        # client_secret_file = "/run/secrets/piste_prod_secret"
        # tech_login = "TECH_1_<SIRET>@cpro.fr"
        # tech_password_env = "PROD_TECH_PASSWORD"
        # app_name = "MY_PRODUCTION_APP"
        # allow_writes = true          # let unattended scripts deposit and submit in production

        # [profiles.local]
        # env = "custom"               # a test server or a proxy; plain http:// only on loopback
        # oauth_url = "http://127.0.0.1:8080/api/oauth/token"
        # api_url = "http://127.0.0.1:8080"

        """

    /// Writes the template at `url` with mode 0600 (created private, never chmod-ed afterwards).
    /// - Throws: CONFIG when the file exists and `force` is false, or it cannot be written.
    public static func write(to url: URL, force: Bool) throws(ChorusError) {
        if !force, FileManager.default.fileExists(atPath: url.path) {
            throw ChorusError(
                code: .config, message: "\(url.path) already exists; not overwriting it (use --force to replace it)")
        }
        guard PrivateFile.write(Array(text.utf8), to: url, replace: force) else {
            throw ChorusError(code: .config, message: "cannot write \(url.path)")
        }
    }
}
