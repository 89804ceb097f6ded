// Fuzzes the rule set on arbitrary bytes (InvoiceChecker: reading, every rule, offline and with a
// directory answer that makes the live rules run) and RejectionExplainer on arbitrary text and reports.
// sources: Sources/ChorusAPI/Checks/CheckContext.swift Sources/ChorusAPI/Checks/CheckRule.swift Sources/ChorusAPI/Checks/CheckRules.swift Sources/ChorusAPI/Checks/CheckRules+Attachments.swift Sources/ChorusAPI/Checks/CheckRules+Document.swift Sources/ChorusAPI/Checks/CheckRules+File.swift Sources/ChorusAPI/Checks/CheckRules+Parties.swift Sources/ChorusAPI/Checks/CheckRules+Recipient.swift Sources/ChorusAPI/Checks/CheckRules+Totals.swift Sources/ChorusAPI/Checks/Identifiers.swift Sources/ChorusAPI/Checks/InvoiceChecker.swift Sources/ChorusAPI/Checks/RejectionExplainer.swift Sources/ChorusAPI/Invoices/XMLReader.swift Sources/ChorusAPI/Invoices/XMLElement.swift Sources/ChorusAPI/Invoices/InvoiceDocument.swift Sources/ChorusAPI/Invoices/InvoiceDocument+UBL.swift Sources/ChorusAPI/Invoices/InvoiceDocument+CII.swift Sources/ChorusAPI/Invoices/PDFAttachments.swift Sources/ChorusAPI/Invoices/InvoiceArchive.swift Sources/ChorusAPI/Invoices/InvoiceArchive+Zip.swift Sources/ChorusAPI/Errors/ChorusError.swift Sources/ChorusAPI/Errors/Remediation.swift Sources/ChorusAPI/Errors/ReturnCodes.swift Sources/ChorusAPI/Vocabulary/Vocabulary.swift Sources/JSONValue/JSONValue.swift Sources/JSONValue/JSONValue+Parsing.swift Sources/JSONValue/JSONValue+Serialization.swift Sources/ChorusAPI/Checks/String+ASCIIReplacing.swift
// strip-imports: JSONValue
// seeds: examples/invoices/broken examples/invoices/ubl-invoice.xml examples/invoices/cii-invoice.xml examples/invoices/facturx-invoice.pdf examples/invoices/lot-ubl.zip

import Foundation

/// A directory answer that sends every live rule down its longest path.
let recipient = RecipientInfo(
    siret: "12345678200085", active: false, serviceRequired: true, engagementRequired: true,
    serviceOrEngagement: false, managesEngagements: true,
    services: ["SERVICE_FERME": .init(active: false), "SERVICE_EJ": .init(active: true, engagementRequired: true)],
    engagements: ["EJ-1"])
let names = ["f.xml", "f.pdf", "lot.zip", "f.txt", String(repeating: "n", count: 201) + ".xml"]
let syntaxes: [String?] = [nil, "IN_DP_E1_UBL_INVOICE", "IN_DP_E1_CII_16B", "IN_DP_E2_CII_FACTURX", "IN_DP_E1_XCBL"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The last byte (not part of the invoice's first bytes, which decide its kind) picks the file name,
    // the declared syntax and the directory's answer.
    let pick = Int(bytes.last ?? 0)
    let name = names[pick % names.count]
    let syntax = syntaxes[(pick / 5) % syntaxes.count]
    let live: CheckContext.Recipient = pick & 0x80 == 0 ? .unknown : .known(recipient)
    _ = InvoiceChecker.fileFindings(size: bytes.count, name: name)
    var context = InvoiceChecker.context(bytes, name: name, syntax: syntax, today: "2026-12-01")
    _ = InvoiceChecker.run(context)
    context.recipient = live
    context.supplier = SupplierInfo(known: pick & 0x40 == 0, isPrivate: true, attached: false)
    // The simulator keeps the pruned context between reading a flux and processing it.
    _ = InvoiceChecker.run(context.prunedForLiveRules(), scopes: [.live, .platform])
    let findings = InvoiceChecker.run(context)
    // Every message the rules write is explained back (what `chorus explain` reads from the platform).
    for finding in findings.prefix(4) { _ = RejectionExplainer.explain(finding.message) }
    // The same bytes as a rejection text, and as a flow report (JSON) and its ledger form.
    let text = String(decoding: bytes, as: UTF8.self)
    _ = RejectionExplainer.explain(text)
    _ = RejectionExplainer.explain(reportText: String(text.prefix(8192)))
    if let report = try? JSONValue.parse(Array(bytes.prefix(65536))) {
        _ = RejectionExplainer.summary(RejectionExplainer.explain(report: report).flatMap(\.explanations))
    }
    return 0
}
