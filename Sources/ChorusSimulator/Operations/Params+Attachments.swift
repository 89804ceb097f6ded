import Foundation
import JSONValue

extension Params {
    /// The members of one complementary attachment (`PieceJointeComplementaire` of the official Swagger).
    static let complementaryAttachmentMembers: Set<String> = [
        "pieceJointeComplementaireId", "pieceJointeComplementaireDesignation", "pieceJointeComplementaireType",
        "pieceJointeComplementaireNumeroLigneFacture",
    ]

    /// The complementary attachments of a `completerFacture` or `soumettreFacture` request, checked as the
    /// platform does: each one an object naming a file this account uploaded (`pieceJointeComplementaireId`,
    /// from `ajouterFichierDansSysteme`), with members of the right types and no unknown member.
    func complementaryAttachments(_ key: String, in state: SimulatorState, login: String) throws(Reply) -> [Int64] {
        var ids: [Int64] = []
        for item in try objects(key) {
            let id = try item.requiredInt("pieceJointeComplementaireId")
            _ = try item.string("pieceJointeComplementaireDesignation")
            _ = try item.string("pieceJointeComplementaireType")
            _ = try item.int("pieceJointeComplementaireNumeroLigneFacture")
            if let unknown = item.members.keys.sorted().first(where: { !Self.complementaryAttachmentMembers.contains($0) }) {
                throw Reply.invalid("Le paramètre '\(item.name(unknown))' n'est pas reconnu.")
            }
            guard state.attachments[id]?.login == login else {
                throw Reply.business(
                    20003, "La pièce jointe \(id) (\(item.name("pieceJointeComplementaireId"))) n'existe pas : "
                        + "déposez-la d'abord avec ajouterFichierDansSysteme.")
            }
            ids.append(id)
        }
        return ids
    }
}
