import ChorusAPI
import Foundation
import LuaRuntime

/// `_deposit`, under `chorus.invoices.deposit`: the invoice crosses from Lua to Swift once (a path,
/// or the bytes a script already holds), and is read, checked, detected, encoded and sent in Swift.
enum DepositBindings {
    static func functions(_ context: ChorusLuaContext) -> [HostFunction] {
        let clients = context.clients
        let policy = context.files
        return [
            HostFunction("_deposit", FunctionDoc("Reads, detects, encodes and deposits an invoice.", yields: true)) { call in
                // (file, data, name, syntax, signed): the Lua side has checked the types.
                let file = call.isNoneOrNil(1) ? nil : try call.string(1)
                let data = call.isNoneOrNil(2) ? nil : try call.bytes(2)
                let name = call.isNoneOrNil(3) ? nil : try call.string(3)
                let syntax = call.isNoneOrNil(4) ? nil : try call.string(4)
                let signed = call.bool(5)
                return call.startOperation {
                    let flux: FluxDeposit
                    switch prepare(file: file, data: data, name: name, syntax: syntax, signed: signed, policy: policy) {
                    case .success(let prepared): flux = prepared
                    // Input problems come back as a value, so Lua raises them at the script's line.
                    case .failure(let refusal): return .object(["refused": .string(refusal.description)])
                    }
                    let answer = try await clients.client().deposit(flux)
                    return .object(["answer": LuaValue(json: answer)])
                }
            }
        ]
    }

    /// The file to deposit, read from `file` (inside the run's folders) or taken from `data`.
    static func prepare(
        file: String?, data: [UInt8]?, name: String?, syntax: String?, signed: Bool, policy: FilePolicy
    ) -> Result<FluxDeposit, FluxDeposit.Refusal> {
        let content: Data
        let fileName: String
        if let file {
            let resolved: String
            switch policy.check(file, write: false) {
            case .success(let path): resolved = path
            case .failure(let refusal): return .failure(.init(refusal.message))
            }
            guard FileManager.default.fileExists(atPath: resolved) else {
                return .failure(.init("cannot deposit '\(file)': no such file"))
            }
            guard let contents = FileManager.default.contents(atPath: resolved) else {
                return .failure(.init("cannot deposit '\(file)': it is a folder or unreadable"))
            }
            content = contents
            fileName = name ?? URL(fileURLWithPath: file).lastPathComponent
        } else if let data, let name {
            content = Data(data)
            fileName = name
        } else {
            return .failure(.init("file (a path) or data (bytes, with name) is required"))
        }
        do throws(FluxDeposit.Refusal) {
            return .success(try FluxDeposit(data: content, name: fileName, syntax: syntax, signed: signed))
        } catch {
            return .failure(error)
        }
    }
}
