import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// The request fields of the catalog: one schema per operation, derived from the official Swagger
/// where there is one, and minimal examples made of the required fields.
@Suite struct RequestSchemaTests {
    @Test func everyOperationHasItsSchemaFromTheRightSource() {
        for operation in Catalog.operations {
            let schema = operation.requestSchema
            #expect(schema.operation == operation.qualifiedName)
            let expected: RequestSchema.Source = operation.provenance == .swagger ? .swagger : .reference
            #expect(schema.source == expected, "\(operation.qualifiedName)")
            if operation.method == .post && operation.provenance == .swagger {
                #expect(!schema.fields.isEmpty, "\(operation.qualifiedName) has no field")
            }
        }
    }

    @Test func theExampleHoldsTheRequiredFieldsOnly() throws {
        let complete = try Catalog.operation(named: "factures.completerFacture").requestSchema
        #expect(complete.example == ["identifiantFactureCPP": 1])
        let process = try Catalog.operation(named: "traiterUneFactureRecue").requestSchema
        #expect(process.example == ["idFacture": 1, "nouveauStatut": "MISE_EN_PAIEMENT"])
        let download = try Catalog.operation(named: "telechargerGroupeFacture").requestSchema
        #expect(download.example == ["listeFacture": [["idFacture": 1]]])
        let deposit = try Catalog.operation(named: "factures.deposerFluxFacture").requestSchema
        #expect(deposit.example == ["fichierFlux": "PD94bWwgdmVyc2lvbj0iMS4wIj8+Cg==", "nomFichier": "facture.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"])
        let syntax = deposit.fields.first { $0.name == "syntaxeFlux" }
        #expect(syntax?.required == true)
        #expect(syntax?.values.count == 13)
        #expect(try Catalog.operation(named: "transverses.healthCheck").requestSchema.example == .object([:]))
    }

    @Test func theSchemaTextListsTypesRequiredAndValues() throws {
        let text = try Catalog.operation(named: "factures.completerFacture").requestSchema.text
        #expect(text.hasPrefix("factures.completerFacture: request fields, from the official Swagger\n"))
        #expect(text.contains("\n  identifiantFactureCPP  integer  REQUIRED\n"))
        #expect(text.contains("\n  pieceJointeComplementaire  array of objects\n    pieceJointeComplementaireDesignation  string\n"))
        #expect(text.contains("\n    pieceJointeComplementaireId  integer  REQUIRED\n"))
    }

    /// The fields are derived from the official Swagger: the same names and types, member by member.
    @Test(.enabled(if: ReferenceFiles.available, Comment(rawValue: ReferenceFiles.absence)))
    func fieldsMatchTheOfficialSwagger() throws {
        let folder = try #require(ReferenceFiles.folder)
        for (group, file) in [("factures", "factures.swagger.json"), ("structures", "structures.swagger.json")] {
            let swagger = try JSONValue.parse(String(decoding: try Data(contentsOf: folder.appendingPathComponent(file)), as: UTF8.self))
            let definitions = swagger["definitions"]?.objectValue ?? [:]
            for (_, methods) in swagger["paths"]?.objectValue ?? [:] {
                for (_, op) in methods.objectValue ?? [:] {
                    let id = try #require(op["operationId"]?.stringValue)
                    let body = op["parameters"]?.arrayValue?.first { $0["in"] == "body" }
                    let reference = body?["schema"]?["$ref"]?.stringValue?.split(separator: "/").last.map(String.init)
                    let properties = reference.flatMap { definitions[$0]?["properties"]?.objectValue } ?? [:]
                    let schema = try Catalog.operation(named: "\(group).\(id)").requestSchema
                    #expect(Set(schema.fields.map(\.name)) == Set(properties.keys), "\(group).\(id)")
                    for field in schema.fields {
                        let declared = properties[field.name]?["type"]?.stringValue ?? "object"
                        #expect(field.type == declared, "\(group).\(id).\(field.name)")
                    }
                }
            }
        }
    }
}
