import ChorusAPI
import Foundation

/// The data a fresh simulator starts with: qualification-like recipients (the kinds of the AIFE test
/// dataset), two suppliers with one technical account each, a recipient-side account, and one
/// application subscribed to every API. Documented in docs/simulator.md.
public enum SimulatorSeed {
    /// The application the simulator issues tokens to.
    public static let clientId = "5f0c2a3e-5e6b-4c1a-9d7e-0000000051a1"
    /// Its secret.
    public static let clientSecret = "sim-secret-0f9c4b7e2d"
    /// Its name, as the sandbox application of a PISTE account.
    public static let applicationName = "APP_SANDBOX_simulateur@chorus.local"

    /// Supplier FOURNISSEUR ALPHA: the structure the sample invoices come from.
    public static let supplierSiret = "98765432100015"
    /// Supplier FOURNISSEUR BETA.
    public static let secondSupplierSiret = "98765432100023"
    /// Technical account of FOURNISSEUR ALPHA (the default account of `--env sim`).
    public static let supplierLogin = "TECH_1_98765432100015@cpro.fr"
    /// Its password.
    public static let supplierPassword = "Fournisseur-Alpha-2026!"
    /// Technical account of FOURNISSEUR BETA.
    public static let secondSupplierLogin = "TECH_1_98765432100023@cpro.fr"
    /// Its password.
    public static let secondSupplierPassword = "Fournisseur-Beta-2026!"
    /// Technical account attached to every recipient structure (processes received invoices).
    public static let recipientLogin = "TECH_1_12345678200051@cpro.fr"
    /// Its password.
    public static let recipientPassword = "Destinataire-2026!"

    /// The seeded technical accounts by the names scripts use (`chorus.as("recipient", fn)`), the
    /// default one (supplier ALPHA) first.
    public static let accounts: [SimulatorAccount] = [
        SimulatorAccount(
            name: "supplier", technicalAccount: TechnicalAccount(login: supplierLogin, password: supplierPassword),
            siret: supplierSiret, label: "supplier FOURNISSEUR ALPHA"),
        SimulatorAccount(
            name: "supplier-beta",
            technicalAccount: TechnicalAccount(login: secondSupplierLogin, password: secondSupplierPassword),
            siret: secondSupplierSiret, label: "supplier FOURNISSEUR BETA"),
        SimulatorAccount(
            name: "recipient", technicalAccount: TechnicalAccount(login: recipientLogin, password: recipientPassword),
            siret: recipientPlain, label: "the five recipient structures"),
    ]

    /// Recipient without parameters.
    public static let recipientPlain = "12345678200051"
    /// Recipient requiring a service code.
    public static let recipientService = "12345678200028"
    /// Recipient requiring an engagement juridique.
    public static let recipientEngagement = "12345678200036"
    /// Recipient requiring both.
    public static let recipientBoth = "12345678200044"
    /// State recipient (service or engagement).
    public static let recipientState = "11000201100044"

    /// The APIs the seed application subscribed.
    public static let allSubscriptions = [
        "factures", "structures", "transverses", "utilisateurs",
        "engagementsJuridiques", "facturesTravaux",
    ]

    /// A fresh state, its dates relative to `now` (simulator clock).
    public static func state(now: Date) -> SimulatorState {
        var state = SimulatorState()
        state.applications = [
            PisteApplication(
                clientId: clientId, clientSecret: clientSecret, name: applicationName,
                subscriptions: allSubscriptions)
        ]
        state.structures = structures()
        state.engagements = [
            Engagement(
                id: 4, number: "147853", structureId: 26_073_636, serviceCode: "SERVICE_DEFAUT", amountTTC: 5000),
            Engagement(
                id: 5, number: "EJ0000000044", structureId: 26_073_644, serviceCode: "SERVICE_DEST_SERV_EJ",
                amountTTC: 20000),
            Engagement(
                id: 6, number: "1300000001", structureId: 26_073_700, serviceCode: "SFACETAT", amountTTC: 100_000),
        ]
        let activeSince = now.addingTimeInterval(-86_400)
        let expires = now.addingTimeInterval(300 * 86_400)
        state.technicalAccounts = [
            TechnicalAccountRecord(
                login: supplierLogin, password: supplierPassword, userId: 65_336_344_681_929,
                structureIds: [26_073_801], activeFrom: activeSince, passwordExpiresAt: expires),
            TechnicalAccountRecord(
                login: secondSupplierLogin, password: secondSupplierPassword, userId: 65_336_344_681_930,
                structureIds: [26_073_802], activeFrom: activeSince, passwordExpiresAt: expires),
            TechnicalAccountRecord(
                login: recipientLogin, password: recipientPassword, userId: 65_336_344_681_931,
                structureIds: [26_073_617, 26_073_628, 26_073_636, 26_073_644, 26_073_700],
                activeFrom: activeSince, passwordExpiresAt: expires),
        ]
        return state
    }

    static func structures() -> [Structure] {
        func commonServices(_ base: Int64) -> [Service] {
            [
                Service(id: base + 1, code: "SERVICE_DEFAUT", name: "Service par défaut"),
                Service(id: base + 2, code: "FACTURES_PUBLIQUES", name: "Service des factures publiques"),
            ]
        }
        var plain = Structure(
            id: 26_073_617, siret: recipientPlain, name: "DESTINATAIRE SANS PARAMETRE", kind: "PUBLIQUE",
            vatNumber: "FR01123456782")
        plain.services = commonServices(10_000)
        var service = Structure(
            id: 26_073_628, siret: recipientService, name: "DESTINATAIRE SERVICE OBLIGATOIRE", kind: "PUBLIQUE",
            serviceRequired: true, vatNumber: "FR02123456782")
        service.services =
            commonServices(10_100) + [
                Service(id: 10_103, code: "SERVICE_DEST_SERV_OBL", name: "Service exécutant obligatoire"),
                Service(id: 10_104, code: "SERVICE_FERME", name: "Service fermé", active: false),
            ]
        var engagement = Structure(
            id: 26_073_636, siret: recipientEngagement, name: "DESTINATAIRE EJ OBLIGATOIRE", kind: "PUBLIQUE",
            engagementRequired: true, vatNumber: "FR03123456782")
        engagement.services = commonServices(10_200)
        var both = Structure(
            id: 26_073_644, siret: recipientBoth, name: "DESTINATAIRE SERVICE ET EJ OBLIGATOIRES", kind: "PUBLIQUE",
            serviceRequired: true, engagementRequired: true, vatNumber: "FR04123456782")
        both.services =
            commonServices(10_300) + [
                Service(
                    id: 10_303, code: "SERVICE_DEST_SERV_EJ", name: "Service avec engagement",
                    engagementRequired: true)
            ]
        var state = Structure(
            id: 26_073_700, siret: recipientState, name: "DESTINATAIRE ETAT", kind: "PUBLIQUE", isState: true,
            engagementOrService: true, vatNumber: "FR05110002011", city: "NANTES")
        state.postalCode = "44000"
        state.services =
            commonServices(10_400) + [Service(id: 10_403, code: "SFACETAT", name: "Services facturiers Etat")]
        var alpha = Structure(
            id: 26_073_801, siret: supplierSiret, name: "FOURNISSEUR ALPHA", kind: "PRIVEE", vatNumber: "FR10987654321",
            city: "LYON")
        alpha.postalCode = "69002"
        alpha.services = [Service(id: 10_801, code: "FACTURATION", name: "Service facturation")]
        alpha.bankAccounts = [BankAccount(id: 132, name: "Compte principal", iban: "FR7630001007941234567890185")]
        var beta = Structure(
            id: 26_073_802, siret: secondSupplierSiret, name: "FOURNISSEUR BETA", kind: "PRIVEE",
            vatNumber: "FR20987654321", city: "LILLE")
        beta.postalCode = "59000"
        beta.bankAccounts = [BankAccount(id: 133, name: "Compte courant", iban: "FR7630004000031234567890143")]
        return [plain, service, engagement, both, state, alpha, beta]
    }
}
