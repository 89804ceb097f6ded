@testable import ChorusAPI
import Foundation
import Testing

/// Recognising a deposit's syntax walks the XML without building its tree (`XMLReader.rootName`,
/// `InvoiceDocument.detectedFormat`): it must accept and refuse exactly what the full reader does.
@Suite struct XMLShapeTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/invoices").standardized

    /// Every example invoice (the broken ones included) and every archive or PDF beside them.
    static func examples() throws -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = []
        for sub in ["", "broken"] {
            let dir = folder.appendingPathComponent(sub)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
                let url = dir.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
                else { continue }
                files.append((sub + "/" + name, [UInt8](try Data(contentsOf: url))))
            }
        }
        return files
    }

    static let snippets = [
        "", "not xml", "<", "<>", "</a>", "<a>", "<a/>", "<a></a>", "<a></b>", "<p:a></q:a>", "<a/><b/>", "<a></a><b/>",
        "<a x='1'/>", "<a x=1/>", "<a x='1/>", "<a x = \"&amp;\" y='&#x41;'></a>", "<a x/>", "<a =''/>",
        "<?xml version='1.0'?><a/>", "<?xml <a/>", "<!-- c --><a/>", "<!-- c <a/>", "<a><![CDATA[<b>]]></a>",
        "<a><![CDATA[x</a>", "<!DOCTYPE a><a/>", "<!DOCTYPE a <a/>", "\u{FEFF}<a/>", "<a>text &amp; more</a>",
        "<a><b><c/></b></a>", "<a><b><c/></a></b>", "<a>  </a  >", "<a></a >", "<a></ a>", "<a/>trailing text",
        "<Invoice xmlns:cbc='x'><cbc:ID>1</cbc:ID></Invoice>", "<cii:CrossIndustryInvoice></cii:CrossIndustryInvoice>",
        "<CreditNote/>", "<Invoice><ID>1</ID>", "<Order/>", String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300),
        String(repeating: "<a>", count: 255) + String(repeating: "</a>", count: 255),
        // Names that are not ASCII: compared as strings (canonical equivalence, a colon that a
        // combining mark joins), and mixed with ASCII ones.
        "<é:b></b>", "<b></é:b>", "<é></é>", "<\u{E9}></e\u{301}>", "<a:\u{301}b></c:\u{301}b>",
        "<a:\u{301}b></a:\u{301}b>", "<é/>", "<x:é a='1'><y:é/></z:é>", "<ab></abc>", "<abc></ab>", "<a></A>",
    ]

    @Test func rootNameAgreesWithTheFullReader() throws {
        var inputs = Self.snippets.map { Array($0.utf8) }
        for (_, bytes) in try Self.examples() {
            inputs.append(bytes)
            // Truncations through the first 2000 bytes (declarations, namespaces, nesting, attributes).
            for end in stride(from: 0, to: min(bytes.count, 2000), by: 97) { inputs.append(Array(bytes[..<end])) }
        }
        var accepted = 0
        for bytes in inputs {
            let full = XMLReader.parse(bytes)?.name
            #expect(XMLReader.rootName(bytes) == full, "\(String(decoding: bytes.prefix(80), as: UTF8.self))")
            if full != nil { accepted += 1 }
        }
        #expect(accepted > 20)  // both outcomes are exercised
    }

    @Test func detectedSyntaxIsTheFullDetectionsSyntax() throws {
        var recognised = 0
        for (name, bytes) in try Self.examples() {
            let full = InvoiceDocument.detect(bytes)?.syntaxeFlux
            #expect(InvoiceDocument.detectedFormat(of: bytes)?.syntaxeFlux == full, "\(name)")
            if full != nil { recognised += 1 }
        }
        #expect(recognised > 10)
        let pdf = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent("facturx-invoice.pdf")))
        #expect(InvoiceDocument.syntaxeFlux(of: pdf) == "IN_DP_E2_CII_FACTURX")
        #expect(InvoiceDocument.syntaxeFlux(of: Array("%PDF-1.4\n%%EOF".utf8)) == nil)
    }
}
