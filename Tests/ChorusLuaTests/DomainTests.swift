import ChorusAPI
import ChorusTestSupport
import Foundation
import JSONValue
import LuaRuntime
import Testing

@Suite struct DomainTests {
    @Test func depositReadsEncodesAndDetects() async throws {
        let h = try Harness(["/deposer/flux": { _ in
            (200, #"{"codeRetour":0,"libelle":"OK","numeroFluxDepot":"CPP0011110000000000000042","dateDepot":"2026-11-29","syntaxeFlux":"IN_DP_E1_UBL_INVOICE"}"#)
        }])
        try h.write("f1.xml", ublInvoice)
        let run = await h.run("""
            local r = chorus.invoices.deposit{ file = "\(h.folder.path)/f1.xml", ledger = false }
            print(r.numeroFluxDepot, r.syntaxeFlux)
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "CPP0011110000000000000042\tIN_DP_E1_UBL_INVOICE\n")
        #expect(h.sent("/deposer/flux") == [[
            "fichierFlux": .string(Data(ublInvoice.utf8).base64EncodedString()), "nomFichier": "f1.xml",
            "syntaxeFlux": "IN_DP_E1_UBL_INVOICE", "avecSignature": false,
        ]])
    }

    static let syntaxes = "IN_DP_E1_UBL_INVOICE, IN_DP_E1_CII, IN_DP_E1_PES_FACTURE, IN_DP_E1_XCBL, IN_DP_E2_UBL_INVOICE_MIN, IN_DP_E2_CII_MIN, IN_DP_E2_PES_FACTURE_MIN, IN_DP_E2_CPP_FACTURE_MIN, IN_DP_PDFARCHIVE_UBL_INVOICE_MUG, IN_DP_PDFARCHIVE_CII_MUG, IN_DP_E1_CII_16B, IN_DP_E2_CII_MIN_16B, IN_DP_E2_CII_FACTURX"

    @Test func depositRefusesBadInputBeforeSending() async throws {
        func fix(_ rule: String) -> String { CheckRules.rule(rule)?.fix ?? "?" }
        let h = try Harness([:])
        try h.write("notes.txt", "hello")
        try h.write("f1.xml", ublInvoice)
        // 64 MB announced, none of it written: refused by its size, never read.
        FileManager.default.createFile(atPath: h.folder.appendingPathComponent("big.xml").path, contents: nil)
        try FileHandle(forWritingTo: h.folder.appendingPathComponent("big.xml")).truncate(atOffset: 64 << 20)
        try FileManager.default.createDirectory(at: h.folder.appendingPathComponent("dir.xml"), withIntermediateDirectories: false)
        let cases: [(String, String)] = [
            ("chorus.invoices.deposit{ file = '\(h.folder.path)/big.xml', ledger = false }",
             "bad argument #1 to 'deposit' ('big.xml': [file-too-large] GDP_MSG_11.022 - La taille du fichier dépasse "
                + "la taille maximale autorisée (10 Mo). Fix: \(fix("file-too-large")))"),
            ("chorus.invoices.deposit{ file = '\(h.folder.path)/big.xml' }",
             "bad argument #1 to 'deposit' ('big.xml': [file-too-large] GDP_MSG_11.022 - La taille du fichier dépasse "
                + "la taille maximale autorisée (10 Mo). Fix: \(fix("file-too-large")))"),
            ("chorus.invoices.deposit{ file = '\(h.folder.path)/dir.xml', ledger = false }",
             "bad argument #1 to 'deposit' (cannot deposit '\(h.folder.path)/dir.xml': it is a folder or unreadable)"),
            ("chorus.invoices.deposit{ file = '\(h.folder.path)/missing.xml' }",
             "bad argument #1 to 'deposit' (cannot deposit '\(h.folder.path)/missing.xml': no such file)"),
            ("chorus.invoices.deposit{ file = '\(h.folder.path)/notes.txt' }",
             "bad argument #1 to 'deposit' ('notes.txt': [file-extension] L'extension du fichier 'notes.txt' n'est pas "
                + "autorisée. Extensions possibles : xml, pdf, zip, tar, tar.gz, tgz. Fix: \(fix("file-extension")))"),
            ("chorus.invoices.deposit{ file = '\(h.folder.path)/notes.txt', ledger = false }",
             "bad argument #1 to 'deposit' ('notes.txt' is not an invoice chorus recognises (UBL or CII XML, Factur-X PDF); pass syntax = 'IN_DP_...' to deposit it anyway)"),
            ("chorus.invoices.deposit{ file = '\(h.folder.path)/f1.xml' }",
             "bad argument #1 to 'deposit' ('f1.xml' line 2: [supplier-missing] L'element "
                + "FichierXml.AccountingSupplierParty.Party.PartyIdentification.ID.value est obligatoire. "
                + "Fix: \(fix("supplier-missing")) (1 more: chorus check lists them))"),
            ("chorus.invoices.deposit{ file = 'x.xml', ledger = 'no' }", "bad argument #1 to 'deposit' (ledger must be true or false)"),
            ("chorus.invoices.deposit{ file = 'x.xml', force = 1 }", "bad argument #1 to 'deposit' (force must be true or false)"),
            ("chorus.invoices.deposit{ file = 'x.xml', force = true, ledger = false }",
             "bad argument #1 to 'deposit' (force needs the ledger (ledger = false sends anyway))"),
            ("chorus.invoices.deposit{ data = 'x', name = 'a.xml', syntax = 'IN_DP_E1_UBL_201' }",
             "bad argument #1 to 'deposit' (unknown syntax 'IN_DP_E1_UBL_201' (the official syntaxeFlux values: \(Self.syntaxes)))"),
            // Not in the API's enumeration: the simulator refuses it too (one vocabulary).
            ("chorus.invoices.deposit{ data = 'x', name = 'a.xml', syntax = 'IN_DP_E3_UBL_INVOICE' }",
             "bad argument #1 to 'deposit' (unknown syntax 'IN_DP_E3_UBL_INVOICE' (the official syntaxeFlux values: \(Self.syntaxes)))"),
            ("chorus.invoices.deposit{ data = 'x' }",
             "bad argument #1 to 'deposit' (name (the file name, with its extension) is required with data)"),
            ("chorus.invoices.deposit{ fille = 'x.xml' }", "bad argument #1 to 'deposit' (unknown option 'fille' (did you mean 'file'?))"),
            ("chorus.invoices.deposit{}", "bad argument #1 to 'deposit' (file (a path) or data (bytes, with name) is required)"),
            ("chorus.invoices.deposit('x.xml')", "bad argument #1 to 'deposit' (table expected, got string)"),
            ("chorus.invoices.deposit{ file = '/etc/hostname' }", "bad argument #1 to 'deposit' ('/etc/hostname' is outside the folders this run may use (the script's folder and --allow-path folders read and write, the working directory read only))"),
        ]
        for (source, message) in cases {
            let run = await h.run("local x = 1\n" + source)
            #expect(run.errorMessage.hasSuffix(message), "\(source)")
            #expect(run.errorMessage.hasPrefix("test.lua:2: "), "\(source) → \(run.errorMessage)")
        }
        #expect(h.transport.apiRequests.isEmpty)
    }

    @Test func waitPollsUntilTheFluxIsFinal() async throws {
        let polls = Counter()
        let h = try Harness(["/consulterCRDetaille": { _ in
            let state = polls.next() < 3 ? "IN_EN_COURS_TRAITEMENT_CPP" : "IN_INTEGRE_PARTIEL"
            return (200, #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","etatCourantDepotFlux":"\#(state)","listeErreurDP":{"numeroDP":"F-2","libelleErreurDP":"rejected"}}"#)
        }])
        let run = await h.run("""
            local report = chorus.flows.wait("CPP001", { interval = 0.01 })
            print(report.etatCourantDepotFlux, #report.listeErreurDP, report.listeErreurDP[1].numeroDP)
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "IN_INTEGRE_PARTIEL\t1\tF-2\n")
        #expect(h.sent("/consulterCRDetaille") == Array(repeating: ["numeroFluxDepot": "CPP001"], count: 3))
    }

    @Test func waitTimesOutWithAChorusError() async throws {
        let h = try Harness(["/consulterCRDetaille": { _ in
            (200, #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","etatCourantDepotFlux":"IN_EN_COURS_TRAITEMENT_CPP"}"#)
        }])
        let run = await h.run("""
            local ok, err = pcall(chorus.flows.wait, "CPP002", { timeout = 0.05, interval = 0.01 })
            print(ok, chorus.errors.is(err, "TIMEOUT"), err.retryable)
            print(tostring(err):match("^test.lua:1: TIMEOUT transverses.consulterCRDetaille: flux CPP002 is still IN_EN_COURS_TRAITEMENT_CPP after %d+%.?%d* s$") ~= nil, tostring(err):match("after 0 s$") == nil)
            chorus.flows.wait("CPP002", { timeout = 0.05, interval = 0.01 })
            """)
        // A sub-second wait is never reported as "after 0 s".
        #expect(run.output == "false\ttrue\ttrue\ntrue\ttrue\n")
        guard case .runtime(let message, _, let value) = run.error else {
            Issue.record("expected a chorus.Error, got \(run.result)")
            return
        }
        // The elapsed seconds depend on the machine's load; the rest of the line does not.
        #expect(message.hasPrefix("test.lua:4: TIMEOUT transverses.consulterCRDetaille: flux CPP002 is still IN_EN_COURS_TRAITEMENT_CPP after "))
        #expect(value?["code"] == .string("TIMEOUT"))
    }

    @Test func waitOnAnUnknownFluxKeepsThePlatformsAnswer() async throws {
        let h = try Harness(["/consulterCRDetaille": { _ in
            (200, #"{"codeRetour":20003,"libelle":"TRA_MSG_00.017 - Le flux n'existe pas"}"#)
        }])
        let run = await h.run("""
            local ok, err = pcall(chorus.flows.wait, "CPP404")
            print(ok, err.code, err.codeRetour, err.libelle, err.status)
            print(tostring(err))
            """)
        #expect(run.errorMessage == "")
        #expect(
            run.output
                == "false\tBUSINESS\t20003\tTRA_MSG_00.017 - Le flux n'existe pas\t200\n"
                + "test.lua:1: BUSINESS transverses.consulterCRDetaille (HTTP 200, codeRetour 20003): flux CPP404 is "
                + "unknown in this environment (TRA_MSG_00.017 - Le flux n'existe pas)\n")
    }

    @Test func structuresFindAndRequirements() async throws {
        let h = try Harness([
            "/structures/v1/rechercher": { body in
                let siret = body["structure"]?["identifiantStructure"]?.stringValue ?? ""
                if siret == "12345678200051" {
                    return (200, #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructures":[{"idStructureCPP":501403,"identifiantStructure":"12345678200051"}],"parametresRetour":{"pageCourante":1,"pages":1,"nbResultatsParPage":100,"total":1}}"#)
                }
                return (200, #"{"codeRetour":20000,"libelle":"TRA_MSG_00.015 - La recherche n'a retourné aucun résultat"}"#)
            },
            "/structures/v1/consulter": { _ in
                (200, #"{"codeRetour":0,"libelle":"GCU_MSG_01_000","parametres":{"codeServiceDoitEtreRenseigne":true,"numeroEJDoitEtreRenseigne":false,"gestionNumeroEJOuCodeService":false}}"#)
            },
        ])
        let run = await h.run("""
            print(chorus.structures.find("12345678200051"), chorus.structures.find("99999999999999"))
            local req = chorus.structures.requirements("12345678200051")
            print(req.idStructureCPP, req.requires, req.codeServiceDoitEtreRenseigne, req.numeroEJDoitEtreRenseigne)
            print(chorus.structures.requirements(99999999999999))
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "501403\tnil\n501403\tservice\ttrue\tfalse\nnil\n")
        let first = h.sent("/structures/v1/rechercher").first
        #expect(first?["structure"] == ["identifiantStructure": "12345678200051", "typeIdentifiantStructure": "SIRET"])
        #expect(first?["restreindreStructuresPrivees"] == false)
        #expect(first?["parametres"] == ["pageResultatDemandee": 1, "nbResultatsParPage": 100])
        #expect(h.sent("/structures/v1/consulter").first == ["idStructureCPP": 501403, "codeLangue": "FR"])
    }

    @Test func searchAndEachWalkEveryPage() async throws {
        let h = try Harness(["/rechercher/fournisseur": { body in
            let page = body["rechercheFactureParFournisseur"]?["pageResultatDemandee"]?.integerValue ?? 0
            return (200, #"{"codeRetour":0,"libelle":"CODE PAR DEFAUT","listeFactures":[{"identifiantFactureCPP":\#(page * 10 + 1)},{"identifiantFactureCPP":\#(page * 10 + 2)}],"parametresRetour":{"pageCourante":\#(page),"pages":3,"nbResultatsParPage":2,"total":6}}"#)
        }])
        let run = await h.run("""
            local all = chorus.invoices.search{ numeroFluxDepot = "CPP9", page_size = 2 }
            local ids = {}
            for _, f in ipairs(all) do ids[#ids + 1] = f.identifiantFactureCPP end
            print(#all, table.concat(ids, ","))
            local n = 0
            for f in chorus.invoices.each{ statutCourant = "DEPOSEE", page_size = 2 } do n = n + 1 end
            print(n)
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "6\t11,12,21,22,31,32\n6\n")
        let sent = h.sent("/rechercher/fournisseur")
        #expect(sent.count == 6)
        #expect(sent.first == ["numeroFluxDepot": "CPP9", "rechercheFactureParFournisseur": ["pageResultatDemandee": 1, "nbResultatsParPage": 2]])
        #expect(sent.last?["statutCourant"] == ["DEPOSEE"])
    }

    @Test func remoteFailuresAreChorusErrors() async throws {
        let h = try Harness(["/consulterCRDetaille": { _ in (403, "") }])
        let run = await h.run("""
            local ok, err = pcall(chorus.flows.report, "CPP1")
            print(ok, err.code, err.status, err.operation, err.retryable, type(err.remediation), err.where)
            print(chorus.errors.is(err, "NOT_SUBSCRIBED"), getmetatable(err) == chorus.Error)
            local results, errors = chorus.all({ function() return 1 end, function() return chorus.flows.report("CPP1") end }, { settle = true })
            print(results[1], errors[2].code)
            chorus.flows.report("CPP1")
            """)
        #expect(run.output == "false\tNOT_SUBSCRIBED\t403\ttransverses.consulterCRDetaille\tfalse\tstring\ttest.lua:1\ntrue\ttrue\n1\tNOT_SUBSCRIBED\n")
        guard case .runtime(let message, _, let value) = run.error else {
            Issue.record("expected a chorus.Error, got \(run.result)")
            return
        }
        #expect(message.hasPrefix("test.lua:6: NOT_SUBSCRIBED transverses.consulterCRDetaille (HTTP 403): "))
        #expect(value?["code"] == "NOT_SUBSCRIBED")
    }

    @Test func callIsTheEscapeHatch() async throws {
        let h = try Harness(["/recuperer/tauxtva": { _ in
            (200, #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","listeTauxTva":[{"codeTauxTva":"TVA20","valeurTauxTva":20.0}]}"#)
        }])
        let run = await h.run("""
            local r = chorus.call("transverses.recupererTauxTva", { codeLangue = "FR" })
            print(r.listeTauxTva[1].codeTauxTva, chorus.lookups.vat_rates()[1].valeurTauxTva)
            print(pcall(chorus.call, "recupererTauxTv"))
            print(pcall(chorus.call, "transverses.recupererTauxTva", { f = print }))
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == """
            TVA20\t20.0
            false\ttest.lua:3: bad argument #1 to 'call' (unknown operation 'recupererTauxTv'; did you mean 'transverses.recupererTauxTva', 'transverses.recupererPays'?)
            false\ttest.lua:4: bad argument #2 to 'call' (cannot convert a function value (at .f))

            """)
    }

    /// chorus.operations() carries what chorus call OP --schema / --example print.
    @Test func operationsCarryTheirFieldsAndExample() async throws {
        let h = try Harness([:])
        let run = await h.run("""
            for _, op in ipairs(chorus.operations()) do
              if op.id == "factures.traiterUneFactureRecue" then
                print(op.example.idFacture, op.example.nouveauStatut)
                for _, f in ipairs(op.fields) do
                  if f.required then print(f.name, f.type, f.values and #f.values or 0) end
                end
              end
            end
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == "1\tMISE_EN_PAIEMENT\nidFacture\tinteger\t0\nnouveauStatut\tstring\t56\n")
    }

    /// chorus.csv.encode quotes as RFC 4180 says, and refuses what cannot be a field.
    @Test func csvEncodeQuotesAsRFC4180() async throws {
        let h = try Harness([:])
        let run = await h.run("""
            local text = chorus.csv.encode({
              { "plain", "a,b", 'say "hi"', "two\\nlines", "cr\\rhere", 3, 2.5, true, chorus.null },
              { "short" },
            }, { header = { "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9" } })
            print(chorus.json.encode(text))
            print(chorus.json.encode(chorus.csv.encode({ { name = "A;B", n = 2 }, { n = 3 } }, { header = { "name", "n" }, separator = ";", eol = "\\n" })))
            print(chorus.csv.encode({}))
            print(pcall(chorus.csv.encode, { { {} } }))
            print(pcall(chorus.csv.encode, { { a = 1 } }))
            print(pcall(chorus.csv.encode, {}, { separator = '"' }))
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == #"""
            "c1,c2,c3,c4,c5,c6,c7,c8,c9\r\nplain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",3,2.5,true,\r\nshort,,,,,,,,\r\n"
            "name;n\n\"A;B\";2\n;3\n"

            false	test.lua:8: bad argument #1 to 'encode' (row 1, column 1: table cannot be a CSV field (string, number, boolean or nil))
            false	test.lua:9: bad argument #1 to 'encode' (row 1 has named fields: give options.header to name the columns)
            false	test.lua:10: bad argument #2 to 'encode' (separator must be one character, not a quote or a line break)

            """#)
    }

    /// status_of and id_of read every shape the platform uses.
    @Test func statusAndIdReadEveryShape() async throws {
        let h = try Harness([:])
        let run = await h.run("""
            local I = chorus.invoices
            print(I.status_of({ statutFacture = "SUSPENDUE" }), I.status_of({ statut = "MANDATEE" }),
              I.status_of({ statutCourantCode = "COMPLETEE" }), I.status_of({ statutCourant = { "REJETEE" } }),
              I.status_of({ statutPossiblePourTraitement = "SERVICE_FAIT" }), I.status_of({ facture = { statutFacture = "DEPOSEE" } }),
              I.status_of("A_RECYCLER"), I.status_of({}))
            print(I.id_of({ idFacture = 7 }), I.id_of({ identifiantFactureCPP = 8 }), I.id_of({ facture = { identifiantFactureCPP = 9 } }),
              I.id_of(10), I.id_of({}))
            print(pcall(I.id_of, "x"))
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == """
            SUSPENDUE\tMANDATEE\tCOMPLETEE\tREJETEE\tSERVICE_FAIT\tDEPOSEE\tA_RECYCLER\tnil
            7\t8\t9\t10\tnil
            false\ttest.lua:8: bad argument #1 to 'id_of' (table expected, got string)

            """)
    }

    /// next_statuses gives strings, only statuses process accepts; errors.is tells a misuse apart.
    @Test func nextStatusesAreStringsProcessAccepts() async throws {
        let h = try Harness(["/recuperer/etats/traitement": { _ in
            (200, #"{"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStatutsPossiblesPourTraitement":[{"statutPossiblePourTraitement":"SERVICE_FAIT"},{"statutPossiblePourTraitement":"TECHNIQUE_INCONNU"},{"statutPossiblePourTraitement":"SUSPENDUE"}]}"#)
        }])
        let run = await h.run("""
            local list = chorus.lookups.next_statuses("MISE_A_DISPOSITION")
            print(#list, list[1], list[2], math.type(#list))
            print(#chorus.lookups.next_statuses({ statut = "MISE_A_DISPOSITION" }))
            local ok, err = pcall(chorus.invoices.process, { id = 1, status = "TECHNIQUE_INCONNU" })
            print(chorus.errors.is(err, "MISUSE"), chorus.errors.is(err), chorus.errors.is(err, "BUSINESS"))
            print(pcall(chorus.errors.is, err, "MISUS"))
            """)
        #expect(run.errorMessage == "")
        #expect(run.output == """
            2\tSERVICE_FAIT\tSUSPENDUE\tinteger
            2
            true\tfalse\tfalse
            false\ttest.lua:6: bad argument #2 to 'is' (unknown error code 'MISUS' (did you mean 'MISUSE'?))

            """)
    }
}
