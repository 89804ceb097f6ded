import Foundation

/// An invoice (demande de paiement) known to the simulated platform.
public struct Invoice: Codable, Sendable, Equatable {
    public var id: Int64
    public var number: String
    /// FACTURE or AVOIR.
    public var type: String
    /// SAISIE_API, DEPOT_PDF_API, EDI_XML_STRUCT (UBL/CII flux) or EDI_MIXTE (Factur-X flux)...
    public var modeDepot: String
    public var supplierId: Int64
    public var supplierServiceId: Int64?
    public var recipientId: Int64
    public var serviceId: Int64?
    public var engagement: String?
    public var issueDate: String
    public var depositedAt: Date
    public var currency: String
    public var totalHT: Double
    public var totalTVA: Double
    public var totalTTC: Double
    public var amountDue: Double
    public var cadre: String = "A1_FACTURE_FOURNISSEUR"
    public var fluxNumber: String?
    /// The deposited file (base64), for downloads.
    public var fileBase64: String?
    public var fileName: String?
    public var lines: [Line] = []
    public var comment: String?
    public var downloadedByRecipient: Bool = false
    public var rejectionAcknowledged: Bool = false
    public var mainAttachmentId: Int64?
    public var history: [StatusChange]
    /// Automatic status changes still to come (routing to the recipient), by simulator-clock date.
    public var scheduled: [StatusChange] = []
    public var actions: [UserAction] = []

    /// The current status.
    public var status: String { history.last?.status ?? "DEPOSEE" }

    /// One invoice line (SAISIE_API).
    public struct Line: Codable, Sendable, Equatable {
        public var number: Int64
        public var reference: String
        public var label: String
        public var quantity: Double
        public var unit: String
        public var unitPriceHT: Double
        public var discountHT: Double
        public var vatCode: String
    }

    /// One entry of the status history.
    public struct StatusChange: Codable, Sendable, Equatable {
        public var status: String
        public var at: Date
        public var comment: String
        public var by: String
    }

    /// One user action (download...).
    public struct UserAction: Codable, Sendable, Equatable {
        public var code: String
        public var at: Date
        public var by: String
    }
}
