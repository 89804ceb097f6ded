import ChorusAPI
import ChorusSimulator
import Foundation
import JSONValue
import Testing

/// What `chorus call OP --schema` / `--example` say an operation expects is what the simulator (which
/// checks requests as the platform does) accepts: the example passes its request checks, and an empty
/// body is refused only for a field the schema marks required.
@Suite("Request schemas against the simulator")
struct RequestSchemaTests {
    /// The platform's words for a request that breaks its rules (missing, mistyped or out-of-list member).
    static func isRequestCheck(_ libelle: String) -> Bool {
        libelle.contains("est obligatoire") || libelle.contains("n'est pas valide :")
            || libelle.contains("n'est pas autorisée") || libelle.contains("n'est pas reconnu")
    }

    @Test func everyExamplePassesTheRequestChecks() async throws {
        try await SimHarness.with { sim in
            for operation in Catalog.operations where operation.method == .post {
                let answer = try await sim.call(operation.path, operation.requestSchema.example)
                let libelle = answer.json?["libelle"]?.stringValue ?? ""
                #expect(!Self.isRequestCheck(libelle), "\(operation.qualifiedName): \(libelle)")
            }
        }
    }

    @Test func anEmptyBodyIsRefusedOnlyForARequiredField() async throws {
        try await SimHarness.with { sim in
            for operation in Catalog.operations where operation.method == .post {
                let answer = try await sim.call(operation.path, .object([:]))
                let libelle = answer.json?["libelle"]?.stringValue ?? ""
                guard let range = libelle.range(of: #"Le paramètre '[^']+' est obligatoire"#, options: .regularExpression) else {
                    continue
                }
                let name = libelle[range].split(separator: "'")[1]
                let required = operation.requestSchema.fields.filter(\.required).map(\.name)
                #expect(required.contains(String(name)), "\(operation.qualifiedName) requires \(name), not marked required")
            }
        }
    }
}
