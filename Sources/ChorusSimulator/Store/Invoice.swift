import Foundation

/// An invoice (demande de paiement) known to the simulated platform.
public struct Invoice: Codable, Sendable, Equatable {
    /// Technical id (`identifiantFactureCPP` / `idFacture`).
    public var id: Int64
    /// Invoice number given by the supplier (`numeroFacture`).
    public var number: String
    /// FACTURE or AVOIR.
    public var type: String
    /// SAISIE_API, DEPOT_PDF_API, EDI_XML_STRUCT (UBL/CII flux) or EDI_MIXTE (Factur-X flux)...
    public var modeDepot: String
    /// Supplier structure (`idStructureCPP`).
    public var supplierId: Int64
    /// Supplier's service, if any.
    public var supplierServiceId: Int64?
    /// Recipient structure (`idStructureCPP`).
    public var recipientId: Int64
    /// Recipient's service exécutant, if any.
    public var serviceId: Int64?
    /// Engagement juridique number, if any.
    public var engagement: String?
    /// Invoice date, `YYYY-MM-DD`.
    public var issueDate: String
    /// Deposit time (simulator clock).
    public var depositedAt: Date
    /// ISO 4217 currency.
    public var currency: String
    /// Total without VAT.
    public var totalHT: Double
    /// Total VAT.
    public var totalTVA: Double
    /// Total with VAT.
    public var totalTTC: Double
    /// Amount to pay.
    public var amountDue: Double
    /// Cadre de facturation.
    public var cadre: String = "A1_FACTURE_FOURNISSEUR"
    /// The flux it came from (`numeroFluxDepot`), for deposited invoices.
    public var fluxNumber: String?
    /// The deposited file (its content is kept apart, in the state's `files`), for downloads.
    public var file: StoredFile?
    /// Name of the deposited file.
    public var fileName: String?
    /// Lines entered with soumettreFacture.
    public var lines: [Line] = []
    /// Free comment.
    public var comment: String?
    /// Set once the recipient downloads it (`factureTelechargeeParDestinataire`).
    public var downloadedByRecipient: Bool = false
    /// Set once the supplier acknowledges its rejection (`rejetTraite`).
    public var rejectionAcknowledged: Bool = false
    /// Main attachment (`pieceJointePrincipaleId`), for PDF modes.
    public var mainAttachmentId: Int64?
    /// Statuses reached so far, oldest first; the last one is the current status.
    public var history: [StatusChange]
    /// Automatic status changes still to come (routing to the recipient), by simulator-clock date.
    public var scheduled: [StatusChange] = []
    /// User actions, oldest first.
    public var actions: [UserAction] = []

    /// The current status.
    public var status: String { history.last?.status ?? "DEPOSEE" }

    /// One invoice line (SAISIE_API).
    public struct Line: Codable, Sendable, Equatable {
        /// Invoice number given by the supplier (`numeroFacture`).
        public var number: Int64
        /// Line reference.
        public var reference: String
        /// Designation.
        public var label: String
        /// Quantity.
        public var quantity: Double
        /// Unit.
        public var unit: String
        /// Unit price without VAT.
        public var unitPriceHT: Double
        /// Discount without VAT.
        public var discountHT: Double
        /// VAT rate code (`TVA20`...).
        public var vatCode: String
    }

    /// One entry of the status history.
    public struct StatusChange: Codable, Sendable, Equatable {
        /// The status reached.
        public var status: String
        /// When (simulator clock).
        public var at: Date
        /// Free comment.
        public var comment: String
        /// Who: a technical login, or `CPP` for the platform.
        public var by: String
    }

    /// One user action (download...).
    public struct UserAction: Codable, Sendable, Equatable {
        /// Action code (`TELECHARGEMENT_FACTURE`...).
        public var code: String
        /// When (simulator clock).
        public var at: Date
        /// Who: a technical login, or `CPP` for the platform.
        public var by: String
    }
}
