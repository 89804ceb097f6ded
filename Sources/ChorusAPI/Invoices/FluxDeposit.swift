import Foundation
import JSONValue

/// One invoice file made ready for `deposerFluxFacture`: its syntax detected (or checked), its bytes
/// encoded once, straight into the request body. Scripts, the doctor and the CLI build deposits here, so
/// the file never travels through Lua and back.
///
/// Memory: the deposit keeps the file's bytes (shared with the caller's, not copied) and its request
/// body is a ``DepositBody``, whose base64 is written chunk by chunk as the connection sends it: the
/// 4/3-size text never exists whole, so a deposit holds the file and one small chunk.
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
    /// The `deposerFluxFacture` request body, produced as it is sent.
    public let body: DepositBody
    /// The whole request body at once (for tests and logs): the same bytes as the JSON object
    /// `{avecSignature, fichierFlux, nomFichier, syntaxeFlux}` serialised like any request.
    public var requestBody: [UInt8] { body.bytes }

    /// Prepares `bytes` for deposit under `name`. Detection reads `bytes` in place and the body is
    /// encoded straight from them: no copy of the file is made.
    /// - Parameter syntax: the `syntaxeFlux` to use; when nil it is detected from the bytes (UBL, CII,
    ///   Factur-X PDF, or an archive of one of them), and a file chorus does not recognise is refused.
    public init(bytes: [UInt8], name: String, syntax: String? = nil, signed: Bool = false) throws(Refusal) {
        guard !name.isEmpty else { throw Refusal("the file name (nomFichier) is empty") }
        guard !bytes.isEmpty else { throw Refusal("'\(name)' is empty") }
        let chosen: String
        if let syntax {
            guard Vocabulary.syntaxesFlux.contains(syntax) else {
                throw Refusal(
                    "unknown syntax '\(syntax)' (the official syntaxeFlux values: "
                        + Vocabulary.syntaxesFlux.joined(separator: ", ") + ")")
            }
            chosen = syntax
        } else {
            guard let detected = InvoiceDocument.syntaxeFlux(of: bytes) else {
                throw Refusal(
                    "'\(name)' is not an invoice chorus recognises (UBL or CII XML, Factur-X PDF); "
                        + "pass syntax = 'IN_DP_...' to deposit it anyway")
            }
            chosen = detected
        }
        self.name = name
        self.syntax = chosen
        self.signed = signed
        self.size = bytes.count
        self.body = DepositBody(file: bytes, name: name, syntax: chosen, signed: signed)
    }
}

extension ChorusClient {
    /// Deposits a prepared file (`factures.deposerFluxFacture`) and returns the platform's answer
    /// (`numeroFluxDepot`, `dateDepot`, `syntaxeFlux`...).
    public func deposit(_ flux: FluxDeposit) async throws(ChorusError) -> JSONValue {
        let operation = try Catalog.operation(named: "factures.deposerFluxFacture")
        try await authorizeWrite(operation, allowWrite: false)
        return try await perform(operation, body: [], streamed: flux.body)
    }
}
