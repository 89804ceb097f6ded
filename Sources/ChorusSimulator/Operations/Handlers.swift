import ChorusAPI
import Foundation
import JSONValue

/// What a handler knows about the call besides the state: the clock, the caller and the body.
struct CallInfo {
    var now: Date
    var account: TechnicalAccountRecord
    var params: Params
    var operation: ChorusOperation
    /// A deposit already checked and read outside the store's lock (deposerFluxFacture).
    var deposit: PreparedDeposit? = nil
}

/// One operation's implementation: reads and changes the state, returns the response body or throws
/// the platform's error.
typealias Handler = @Sendable (inout SimulatorState, CallInfo) throws(Reply) -> JSONValue

/// The implementation of every operation of the client's catalog, by operationId.
enum Handlers {
    static let all: [String: Handler] = {
        var table: [String: Handler] = [:]
        for part in [deposits, submissions, searches, consultations, structures, lookups, transverses, others] {
            table.merge(part) { first, _ in first }
        }
        return table
    }()

    /// The handler of `operation`, if the simulator implements it.
    static func handler(for operation: ChorusOperation) -> Handler? {
        all[operation.operationId]
    }

    /// A success body: the envelope plus `members`.
    static func ok(_ libelle: String, _ members: [String: JSONValue] = [:]) -> JSONValue {
        var body = members
        body["codeRetour"] = 0
        body["libelle"] = .string(libelle)
        return .object(body)
    }

    /// The "no result" answer of searches (HTTP 200, codeRetour 20000).
    static let noResult = Reply.business(
        20000, "TRA_MSG_00.015 - La recherche n'a retourné aucun résultat", status: 200)
}

extension SimulatorState {
    func structure(id: Int64) -> Structure? { structures.first { $0.id == id } }
    func structure(siret: String) -> Structure? { structures.first { $0.siret == siret } }
    func account(login: String) -> TechnicalAccountRecord? { technicalAccounts.first { $0.login == login } }

    /// Takes a new technical id.
    mutating func takeId() -> Int64 {
        defer { nextId += 1 }
        return nextId
    }
}

extension Structure {
    func service(code: String) -> Service? { services.first { $0.code == code } }
    func service(id: Int64) -> Service? { services.first { $0.id == id } }
}
