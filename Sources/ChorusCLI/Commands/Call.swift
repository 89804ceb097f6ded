import ArgumentParser
import ChorusAPI
import Foundation
import JSONValue

/// `chorus call`: reaches any operation of the catalog by its official operationId.
struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call a Chorus Pro operation with a JSON payload and print the JSON answer.",
        discussion: """
            OPERATION is the official operationId, alone or prefixed by its API group (factures.deposerFluxFacture, structures.rechercherStructure, transverses.healthCheck...). The payload uses the official field names; it is a JSON text, @FILE to read a file, or @- for stdin. --schema lists what it expects (fields, types, required, allowed values; from the official Swagger for Factures and Structures), --example prints a minimal valid payload; neither calls anything.

            A codeRetour other than 0 is an error (exit 8). Writes are never retried; in production they need allow_writes = true in the profile or --allow-write.

            Examples:
              chorus call --list
              chorus call factures.completerFacture --schema
              chorus call factures.traiterUneFactureRecue --example > payload.json
              chorus call transverses.healthCheck
              chorus call transverses.recupererTauxTva '{"codeLangue":"FR"}'
              chorus call rechercherStructure @search.json --profile qualif
              chorus call factures.deposerFluxFacture @deposit.json --env sandbox
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(
        help: ArgumentHelp("Operation id, e.g. factures.rechercherFactureParFournisseur.", valueName: "operation"))
    var operation: String?

    @Argument(help: ArgumentHelp("JSON payload, @file.json, or @- for stdin (default {}).", valueName: "json"))
    var payload: String?

    @Flag(name: .long, help: "Indent the output (the default on a terminal).")
    var pretty = false

    @Flag(name: .long, help: "List the operations of the catalog and exit.")
    var list = false

    @Flag(name: .long, help: "Confirm a write operation in production.")
    var allowWrite = false

    @Flag(name: .long, help: "Print the request fields of OPERATION (types, required, allowed values) and exit.")
    var schema = false

    @Flag(name: .long, help: "Print a minimal valid payload for OPERATION and exit.")
    var example = false

    func validate() throws {
        if !list, operation == nil { throw ValidationError("missing OPERATION (see `chorus call --list`)") }
        if schema && example { throw ValidationError("give --schema or --example, not both") }
        if (schema || example) && payload != nil { throw ValidationError("--schema and --example take no payload") }
    }

    func run() async throws {
        if list {
            printCatalog()
            return
        }
        if schema || example {
            try await global.run { () throws(ChorusError) in
                let request = try Catalog.operation(named: operation ?? "").requestSchema
                let pretty = JSONWriteOptions(pretty: pretty || standardOutputIsTerminal || example)
                if example {
                    print(request.example.serialized(pretty))
                } else if global.json {
                    print(request.json.serialized(pretty))
                } else {
                    print(request.text)
                }
            }
            return
        }
        try await global.run { () throws(ChorusError) in
            let op = try Catalog.operation(named: operation ?? "")
            let body = try readPayload()
            let client = try await global.makeClient()
            let result: JSONValue
            do throws(ChorusError) {
                result = try await client.call(op, payload: body, allowWrite: allowWrite)
                await client.shutdown()
            } catch {
                await client.shutdown()
                throw error
            }
            print(result.serialized(JSONWriteOptions(pretty: pretty || standardOutputIsTerminal)))
        }
    }

    /// The payload argument as JSON, with the position of the first error.
    func readPayload() throws(ChorusError) -> JSONValue {
        guard let payload else { return .object([:]) }
        let text: String
        let source: String
        if payload == "@-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            source = "standard input"
        } else if payload.hasPrefix("@") {
            let path = String(payload.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ChorusError(code: .config, message: "cannot read the payload file \(path)")
            }
            text = String(decoding: data, as: UTF8.self)
            source = "the payload file \(path)"
        } else {
            text = payload
            source = "the JSON argument"
        }
        do {
            return try JSONValue.parse(text)
        } catch {
            throw ChorusError.invalidJSON(error, source: source)
        }
    }

    func printCatalog() {
        if global.json {
            let items: [JSONValue] = Catalog.operations.map { op in
                .object([
                    "id": .string(op.qualifiedName), "group": .string(op.group.rawValue), "operationId": .string(op.operationId),
                    "method": .string(op.method.rawValue), "path": .string(op.fullPath),
                    "summary": .string(op.summary), "write": .bool(op.isWrite),
                    "subscription": .string(op.subscription), "deprecated": .bool(op.isDeprecated),
                ])
            }
            print(JSONValue.array(items).serialized(JSONWriteOptions(pretty: standardOutputIsTerminal)))
            return
        }
        let width = Catalog.operations.map(\.qualifiedName.count).max() ?? 0
        for op in Catalog.operations {
            let name = op.qualifiedName.padding(toLength: width, withPad: " ", startingAt: 0)
            let marks = (op.isWrite ? "W" : " ") + (op.isDeprecated ? "D" : " ")
            print("\(name)  \(marks)  \(op.summary)")
        }
        print("\nW: writes (never retried); D: deprecated. Paths: chorus call --list --json")
    }
}
