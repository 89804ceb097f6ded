import Foundation
import JSONValue

/// One invoice file made ready for `deposerFluxFacture`: its syntax detected (or checked), its bytes
/// encoded once, straight into the request payload. Scripts, the doctor and the CLI build deposits
/// here, so the file never travels through Lua and back.
public struct FluxDeposit: Sendable {
    /// Why a file cannot be deposited as given (a usage problem, named in plain words).
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// The file name sent as `nomFichier`.
    public let name: String
    /// The `syntaxeFlux` sent.
    public let syntax: String
    /// Whether the file is signed (`avecSignature`).
    public let signed: Bool
    /// The size of the file, in bytes.
    public let size: Int
    private let encoded: String

    /// Prepares `bytes` for deposit under `name`.
    /// - Parameter syntax: the `syntaxeFlux` to use; when nil it is detected from the bytes (UBL, CII,
    ///   Factur-X PDF, or an archive of one of them), and a file chorus does not recognise is refused.
    public init(bytes: [UInt8], name: String, syntax: String? = nil, signed: Bool = false) throws(Refusal) {
        try self.init(data: Data(bytes), name: name, syntax: syntax, signed: signed)
    }

    /// Prepares the file content `data` for deposit under `name` (see `init(bytes:name:syntax:signed:)`).
    /// The content is encoded straight from `data`; only detection reads a temporary copy.
    public init(data: Data, name: String, syntax: String? = nil, signed: Bool = false) throws(Refusal) {
        guard !name.isEmpty else { throw Refusal("the file name (nomFichier) is empty") }
        guard !data.isEmpty else { throw Refusal("'\(name)' is empty") }
        if let syntax {
            guard Vocabulary.syntaxesFlux.contains(syntax) else {
                throw Refusal(
                    "unknown syntax '\(syntax)' (the official syntaxeFlux values: "
                        + Vocabulary.syntaxesFlux.joined(separator: ", ") + ")")
            }
            self.syntax = syntax
        } else {
            guard let detected = InvoiceDocument.syntaxeFlux(of: [UInt8](data)) else {
                throw Refusal(
                    "'\(name)' is not an invoice chorus recognises (UBL or CII XML, Factur-X PDF); "
                        + "pass syntax = 'IN_DP_...' to deposit it anyway")
            }
            self.syntax = detected
        }
        self.name = name
        self.signed = signed
        self.size = data.count
        self.encoded = data.base64EncodedString()
    }

    /// The `deposerFluxFacture` request body, with official field names.
    public var payload: JSONValue {
        [
            "fichierFlux": .string(encoded), "nomFichier": .string(name), "syntaxeFlux": .string(syntax),
            "avecSignature": .bool(signed),
        ]
    }
}

extension ChorusClient {
    /// Deposits a prepared file (`factures.deposerFluxFacture`) and returns the platform's answer
    /// (`numeroFluxDepot`, `dateDepot`, `syntaxeFlux`...).
    public func deposit(_ flux: FluxDeposit) async throws(ChorusError) -> JSONValue {
        try await call("factures.deposerFluxFacture", payload: flux.payload)
    }
}
