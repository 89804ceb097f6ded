/// What to do about each class of failure, in the words of the PISTE and Chorus Pro portals (docs/errors.md).
///
/// Kept as data in one place so the doctor, the CLI and `docs/errors.md` say the same thing.
public enum Remediation {
    /// PISTE refused client id / secret at the token endpoint.
    public static let applicationCredentials =
        "PISTE refused the application credentials: copy the Client ID and the secret again from piste.gouv.fr, "
        + "your application, tab « Authentification » (OAuth credentials, not the API keys). "
        + "A SANDBOX application (APP_SANDBOX_...) only works with --env sandbox; production needs its own application."

    /// 403 with a valid token.
    public static func notSubscribed(api: String) -> String {
        "The PISTE application has not accepted the CGU of the API « \(api) » in this environment: on piste.gouv.fr, "
            + "your application → « Modifier l'application » → tick the \(api) API → « Valider mes choix CGU », "
            + "then « Sauvegarder l'application »."
    }

    /// 401 on an API call.
    public static let technicalAccount =
        "The technical account (compte technique) sent in cpro-account was refused: its login or password is wrong, "
        + "expired (it must be changed every 424 days; the gestionnaire principal resets it on Chorus Pro), or not active "
        + "yet (about 30 minutes after creation). Also check the raccordement on Chorus Pro: « Raccordements » → "
        + "« Gérer raccordement API » → « Déclarer un raccordement PISTE » for this application."

    /// A structure (SIRET) unknown in the environment.
    public static let structureUnknown =
        "This structure is not known in this environment: qualification (sandbox) only knows the structures of your "
        + "matelas de données, production only real ones. Check the SIRET and --env, and that the technical account is "
        + "attached (rattaché) to the structure."

    /// DNS failure.
    public static let dns =
        "The host name does not resolve. Use the PISTE hosts (*.piste.gouv.fr; the old *.aife.economie.gouv.fr names "
        + "are retired) and check the network, proxy and DNS of this machine."

    /// TLS failure.
    public static let tls =
        "The TLS handshake failed: the host does not speak HTTPS on this port, or a proxy intercepts the connection "
        + "with a certificate this machine does not trust."

    /// Connection or read timeout.
    public static let timeout =
        "No answer in time. Chorus Pro qualification is sometimes slow or down: retry later, or raise the timeout "
        + "(profile key timeout) for large deposits."

    /// Refused or reset connection.
    public static let connection =
        "The connection failed: check the URL and port (CHORUS_OAUTH_URL / CHORUS_API_URL or the profile), "
        + "and any proxy between this machine and PISTE."

    /// A connection reset or closed after it was established.
    public static let connectionDropped =
        "The connection dropped while the request was in flight: a proxy, a load balancer or the server cut it. "
        + "Retry later; if it repeats, check any proxy between this machine and PISTE."

    /// A write whose answer was lost: it may have been processed.
    public static let uncertain =
        "The platform may have received and processed this request: do not send it again blindly. "
        + "For a deposit, run `chorus ledger reconcile`: it searches the supplier's invoices "
        + "(rechercherFactureParFournisseur) and resends only what is proven absent. Without the ledger, "
        + "search for the invoice number before depositing again."

    /// An invoice the ledger already saw sent in this environment.
    public static let duplicate =
        "This invoice was already deposited in this environment (see `chorus ledger show`). Sending it again "
        + "would create a second invoice. A corrected invoice needs a new invoice number or a credit note "
        + "(avoir); `--force` sends it anyway."

    /// 5xx.
    public static let server =
        "Chorus Pro or PISTE failed on its side. Retry later; if it persists with the same payload, quote the "
        + "x-correlationid to the Chorus Pro support (a payload field can trigger it, e.g. dateFacture in SAISIE_API)."

    /// 429.
    public static let rateLimited =
        "PISTE asked to slow down. Lower rate_limit or max_concurrency in the profile; the client already waits "
        + "for Retry-After on reads."

    /// A response that is not JSON where JSON was expected.
    public static let notJSON =
        "The answer is not JSON, so this URL is probably not the Chorus Pro API (a proxy, a portal page or a "
        + "maintenance page). Check CHORUS_API_URL / api_url: it is the API host, paths are /cpro/..."

    /// A token endpoint answer without a usable token.
    public static let notATokenEndpoint =
        "This URL does not behave like the PISTE token endpoint (expected JSON with access_token). Check "
        + "CHORUS_OAUTH_URL / oauth_url: the full token URL ends with /api/oauth/token."

    /// 404 from the gateway.
    public static let notFound =
        "PISTE does not know this path: the operation or its version is wrong for this API host."

    /// 413.
    public static let tooLarge =
        "The payload is too large: 10 Mo per PDF or attachment, 120 Mo for a group download (about 10 invoices per call)."

    /// 415.
    public static let unsupportedMediaType =
        "The gateway refused the Content-Type; the client sends application/json;charset=utf-8, so a proxy rewrote it."

    /// A business error without a known meaning.
    public static let business =
        "Read libelle, compare the payload with the official field names of the operation, and look the code up "
        + "in the AIFE annex of error messages."

    /// A status change that the platform refused: the moves allowed from the invoice's status.
    public static func refusedStatusChange(from status: String) -> String {
        let allowed = Vocabulary.nextStatuses(from: status)
        let moves =
            allowed.isEmpty
            ? "From \(status), the recipient cannot change the status any more."
            : "From \(status), the recipient may move the invoice to: \(allowed.joined(separator: ", "))."
        return moves + " chorus.lookups.next_statuses(\"\(status)\") asks the platform itself."
    }
}
