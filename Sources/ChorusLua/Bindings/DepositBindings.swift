import ChorusAPI
import ChorusLedger
import Foundation
import LuaRuntime

/// `_deposit`, under `chorus.invoices.deposit`: the invoice crosses from Lua to Swift once (a path,
/// or the bytes a script already holds), and is read, checked, detected, encoded and sent in Swift,
/// through the deposit ledger unless the script opts out.
enum DepositBindings {
    static func functions(_ context: ChorusLuaContext) -> [HostFunction] {
        let clients = context.clients
        let policy = context.files
        let ledgers = context.ledgers
        let gate = context.operationGate
        return [
            HostFunction("_deposit", FunctionDoc("Reads, detects, encodes and deposits an invoice.", yields: true)) {
                call in
                // (file, data, name, syntax, signed, ledger, force, account): the Lua side has checked the types.
                let file = call.isNoneOrNil(1) ? nil : try call.string(1)
                let data = call.isNoneOrNil(2) ? nil : try call.bytes(2)
                let name = call.isNoneOrNil(3) ? nil : try call.string(3)
                let syntax = call.isNoneOrNil(4) ? nil : try call.string(4)
                let signed = call.bool(5)
                let useLedger = call.bool(6)
                let force = call.bool(7)
                let account = call.isNoneOrNil(8) ? nil : try call.string(8)
                return call.startOperation {
                    if let gate, let operation = Catalog.find("factures.deposerFluxFacture"), let refusal = gate(operation) {
                        throw refusal
                    }
                    guard useLedger else {
                        let flux: FluxDeposit
                        switch prepare(file: file, data: data, name: name, syntax: syntax, signed: signed, policy: policy) {
                        case .success(let prepared): flux = prepared
                        // Input problems come back as a value, so Lua raises them at the script's line.
                        case .failure(let refusal): return .object(["refused": .string(refusal.description)])
                        }
                        let client = try await clients.client(account: account)
                        return .object(["answer": LuaValue(json: try await client.deposit(flux))])
                    }
                    let content: ([UInt8], String)
                    switch read(file: file, data: data, name: name, policy: policy) {
                    case .success(let read): content = read
                    case .failure(let refusal): return .object(["refused": .string(refusal.description)])
                    }
                    let client = try await clients.client(account: account)
                    let candidate: DepositCandidate
                    do throws(FluxDeposit.Refusal) {
                        candidate = try DepositCandidate(
                            bytes: content.0, name: content.1, syntax: syntax, signed: signed)
                    } catch {
                        return .object(["refused": .string(error.description)])
                    }
                    let ledger = try await ledgers.ledger(for: client)
                    // The same rules as `chorus deposit`, live lookups cached for the run by the ledger.
                    if let problem = try await ledger.check(candidate) {
                        return .object(["refused": .string(problem)])
                    }
                    let result = try await ledger.deposit(candidate, force: force)
                    var answer = LuaValue(json: result.answer)
                    // A forced resend says so in its answer: the script asked for a duplicate. A lot's
                    // answer lists its invoices, which share the flux.
                    if case .object(var fields) = answer, result.forced || candidate.lot != nil {
                        if result.forced { fields["forced"] = .bool(true) }
                        if candidate.lot != nil {
                            fields["invoices"] = .array(result.entries.map { .string($0.invoiceNumber) })
                        }
                        answer = .object(fields)
                    }
                    return .object(["answer": answer])
                }
            }
        ]
    }

    /// The file read (within the platform's size limit) and made ready to deposit: the deposit keeps the
    /// bytes, and its body is encoded as it is sent (``DepositBody``), so a deposit holds the file once.
    static func prepare(
        file: String?, data: [UInt8]?, name: String?, syntax: String?, signed: Bool, policy: FilePolicy
    ) -> Result<FluxDeposit, FluxDeposit.Refusal> {
        switch read(file: file, data: data, name: name, policy: policy) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let content):
            do throws(FluxDeposit.Refusal) {
                return .success(try FluxDeposit(bytes: content.0, name: content.1, syntax: syntax, signed: signed))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The bytes and file name to deposit, read from `file` (inside the run's folders, within the
    /// platform's size limit) or taken from `data`.
    static func read(file: String?, data: [UInt8]?, name: String?, policy: FilePolicy) -> Result<
        ([UInt8], String), FluxDeposit.Refusal
    > {
        if let file {
            let resolved: String
            switch policy.check(file, write: false) {
            case .success(let path): resolved = path
            case .failure(let refusal): return .failure(.init(refusal.message))
            }
            let name = name ?? URL(fileURLWithPath: file).lastPathComponent
            switch DepositCandidate.readFile(atPath: resolved, name: name) {
            case .success(let bytes): return .success((bytes, name))
            case .failure(.missing): return .failure(.init("cannot deposit '\(file)': no such file"))
            case .failure(.unreadable): return .failure(.init("cannot deposit '\(file)': it is a folder or unreadable"))
            case .failure(.tooLarge(let refusal)): return .failure(.init(refusal))
            }
        } else if let data, let name {
            return .success((data, name))
        }
        return .failure(.init("file (a path) or data (bytes, with name) is required"))
    }
}
