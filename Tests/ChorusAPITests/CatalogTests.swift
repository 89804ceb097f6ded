import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

@Suite struct CatalogTests {
    @Test func countsPerGroupMatchTheSwaggerFilesAndTheReference() {
        #expect(Catalog.operations(in: .factures).count == 22)
        #expect(Catalog.operations(in: .structures).count == 6)
        #expect(Catalog.operations(in: .utilisateurs).map(\.operationId) == ["recupererRattachementsMonCompte"])
        #expect(Catalog.operations(in: .engagementsJuridiques).map(\.path) == ["/engagementsJuridiques/v1/rechercher"])
        #expect(Catalog.operations(in: .facturesTravaux).map(\.path) == ["/facturesTravaux/v1/rechercher"])
        #expect(Catalog.operations(in: .transverses).count == 34)
    }

    @Test func namesAndPathsAreUnique() {
        #expect(Set(Catalog.operations.map(\.qualifiedName)).count == Catalog.operations.count)
        #expect(Set(Catalog.operations.map(\.path)).count == Catalog.operations.count)
        #expect(Set(Catalog.operations.map { $0.operationId.lowercased() }).count == Catalog.operations.count)
    }

    @Test func onlyTheHealthCheckIsAGet() {
        #expect(Catalog.operations.filter { $0.method == .get }.map(\.qualifiedName) == ["transverses.healthCheck"])
        #expect(Catalog.find("transverses.healthCheck")?.fullPath == "/cpro/transverses/v1/health-check")
    }

    @Test func depositsAndStatusChangesAreWrites() {
        for name in [
            "deposerFluxFacture", "soumettreFacture", "deposerPdfFacture", "traiterUneFactureRecue",
            "ajouterFichierDansSysteme", "completerFacture", "recyclerFacture",
        ] {
            #expect(Catalog.find(name)?.isWrite == true, "\(name)")
        }
        for name in ["rechercherStructure", "consulterCRDetaille", "rechercherFactureParFournisseur", "healthCheck"] {
            #expect(Catalog.find(name)?.isWrite == false, "\(name)")
        }
    }

    @Test func lookupAcceptsQualifiedBareAliasAndAnyCase() throws {
        let op = try #require(Catalog.find("factures.deposerFluxFacture"))
        #expect(op.fullPath == "/cpro/factures/v1/deposer/flux")
        #expect(op.subscription == "Factures")
        #expect(Catalog.find("deposerFluxFacture") == op)
        #expect(Catalog.find("FACTURES.DEPOSERFLUXFACTURE") == op)
        #expect(Catalog.find("consulterStructure")?.operationId == "consulterStructureAvecTVAIntraCom")
        #expect(Catalog.find("rechercherFactureParRecipiendaire")?.operationId == "rechercherFactureRecipiendaire")
        #expect(Catalog.find("traiterFactureRecue")?.operationId == "traiterUneFactureRecue")
        #expect(Catalog.find("structures.deposerFluxFacture") == nil)
    }

    @Test func unknownOperationSuggestsTheClosestNames() {
        #expect(throws: ChorusError.self) { try Catalog.operation(named: "deposerFluxFactur") }
        do {
            _ = try Catalog.operation(named: "factures.deposerFlux")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .config)
            #expect(error.exitCode == 2)
            #expect(
                error.message == "unknown operation 'factures.deposerFlux'; did you mean 'factures.deposerFluxFacture'?"
            )
        }
        do {
            _ = try Catalog.operation(named: "rechercherStructur")
        } catch {
            #expect(
                error.message.hasPrefix(
                    "unknown operation 'rechercherStructur'; did you mean 'structures.rechercherStructure'"))
        }
        do {
            _ = try Catalog.operation(named: "zzzzzzzzzzzzzzzzzzzzzzzzzzzz")
        } catch {
            #expect(error.message == "unknown operation 'zzzzzzzzzzzzzzzzzzzzzzzzzzzz'")
        }
    }

    /// The Factures and Structures entries must match the official Swagger files operation by operation.
    @Test(.enabled(if: ReferenceFiles.available, Comment(rawValue: ReferenceFiles.absence)))
    func catalogMatchesTheOfficialSwaggerFiles() throws {
        let files: [(String, ChorusOperation.Group)] = [
            ("factures.swagger.json", .factures),
            ("structures.swagger.json", .structures),
        ]
        for (file, group) in files {
            let swagger = try #require(ReferenceFiles.swagger(file))
            let basePath = try #require(swagger["basePath"]?.stringValue)
            var seen: Set<String> = []
            for (path, methods) in try #require(swagger["paths"]?.objectValue) {
                for (method, spec) in try #require(methods.objectValue) {
                    let id = try #require(spec["operationId"]?.stringValue)
                    seen.insert(id)
                    let op = try #require(Catalog.find("\(group.rawValue).\(id)"), "\(id) missing from the catalog")
                    #expect(op.operationId == id)
                    #expect(op.fullPath == basePath + path, "\(id)")
                    #expect(op.method.rawValue.lowercased() == method, "\(id)")
                    #expect(op.provenance == .swagger)
                }
            }
            #expect(Set(Catalog.operations(in: group).map(\.operationId)) == seen, "\(file)")
        }
    }
}
