@testable import ChorusAPI
import Foundation
import Testing

/// The byte-level fast paths the checker takes on every deposit the simulator reads (string replacement,
/// path splitting, trimming, local names, IBAN, day formatting) give exactly what the character-level
/// code they replaced gives, kept here as the reference.
@Suite struct CheckFastPathTests {
    /// Awkward pieces: ASCII, Unicode whitespace, combining marks, a prepended mark, characters whose
    /// canonical form is ASCII (KELVIN SIGN is K), CR LF.
    static let pieces = [
        " ", "\t", "\n", "\r\n", "\r", "a", "K", "/", ":", "{", "}", "é", "e\u{301}", "\u{301}", "\u{A0}", "\u{2028}",
        "\u{85}", "\u{1C}", "\u{0600}", "\u{212A}", "x", "1",
    ]

    /// Every string of up to `length` pieces drawn by a fixed generator (deterministic).
    static func samples(count: Int = 3000, length: Int = 6) -> [String] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var strings = pieces + pieces.flatMap { a in pieces.map { a + $0 } }
        for _ in 0..<count {
            strings.append((0..<(next() % (length + 1))).map { _ in pieces[next() % pieces.count] }.joined())
        }
        return strings
    }

    @Test func replacingASCIIIsFoundationsReplacement() {
        for text in Self.samples() {
            for target in [" ", "/", "{a}", "aa", "K", "é", "e\u{301}", "\u{301}"] {
                for replacement in ["", ".", "\u{212A}"] {
                    #expect(
                        text.replacingASCII(target, with: replacement)
                            == text.replacingOccurrences(of: target, with: replacement),
                        "\(Array(text.unicodeScalars)) \(target)")
                }
            }
        }
        #expect("aaa".replacingASCII("aa", with: "b") == "ba")
        #expect("a/b/c".replacingASCII("/", with: ".") == "a.b.c")
    }

    @Test func pathStepsAreTheCharacterSplit() {
        for path in Self.samples() + ["a//b", "/a/", "", "/", "a/b/c", "a/\u{301}b", "\u{0600}/b"] {
            #expect(CheckContext.steps(path) == path.split(separator: "/"), "\(Array(path.unicodeScalars))")
        }
    }

    @Test func trimIsTheCharacterTrim() {
        func reference(_ text: String) -> String {
            var scalars = Substring(text)
            while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
            while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
            return String(scalars)
        }
        for text in Self.samples(count: 6000) {
            let trimmed = XMLReader.trim(text)
            #expect(trimmed == reference(text), "\(Array(text.unicodeScalars))")
            #expect(Array(trimmed.unicodeScalars) == Array(reference(text).unicodeScalars))
        }
    }

    @Test func localNameIsTheCharacterSearch() {
        func reference(_ qualified: String) -> String {
            guard let colon = qualified.lastIndex(of: ":") else { return qualified }
            return String(qualified[qualified.index(after: colon)...])
        }
        for name in Self.samples() + ["cbc:ID", "a:b:c", "ID", ":", "a:", ":b", "é:x", "x:\u{301}y"] {
            #expect(XMLReader.localName(name) == reference(name), "\(Array(name.unicodeScalars))")
        }
        // The reader drops prefixes of element and attribute names, ASCII or not, as before.
        let root = XMLReader.parse(Array("<é:a x:é='1' p:k='2'><b:c>t</b:c><d/></é:a>".utf8))
        #expect(root?.name == "a")
        #expect(root?.attributes == ["é": "1", "k": "2"])
        #expect(root?.children.map(\.name) == ["c", "d"])
        #expect(XMLReader.parse(Array("<p:a></q:a>".utf8))?.name == "a")
        #expect(XMLReader.parse(Array("<p:a></q:b>".utf8)) == nil)
    }

    @Test func renderFillsEachPlaceholderOnce() {
        // The sequential replacement it replaced, for values without braces: the same text for every rule.
        func reference(_ rule: CheckRule, _ values: [String: String], _ format: InvoiceDocument.Format?) -> String {
            var text = rule.message
            var all = values
            if all["tag"] == nil { all["tag"] = rule.path(for: format).replacingOccurrences(of: "/", with: ".") }
            for (key, value) in all { text = text.replacingOccurrences(of: "{\(key)}", with: value) }
            return text
        }
        let values = [
            "value": "FR 12 é\u{301}", "siret": "12345678900011", "tag2": "A.B", "name": "f.xml", "member": "fichierFlux",
            "size": "12", "max": "10", "extensions": "xml, pdf", "service": "S1", "syntax": "IN_DP_E1_CII_16B",
            "ht": "1.00", "tva": "0.20", "ttc": "1.20",
        ]
        for rule in CheckRules.all {
            for format in [InvoiceDocument.Format.ubl, .cii, nil] {
                #expect(rule.render(values, format: format) == reference(rule, values, format), "\(rule.id)")
                #expect(rule.render([:], format: format) == reference(rule, [:], format), "\(rule.id)")
            }
        }
        // Text read from an invoice is never filled in turn (it was, in dictionary order).
        let duplicate = CheckRules.rule("invoice-duplicate")!
        let text = duplicate.render(["value": "{siret}", "siret": "123"], format: .cii)
        #expect(text.contains("{siret}") && text.contains("123"))
        #expect(CheckRule.fill("{a}{{a}}{}{b}{a", ["a": "1"]) == "1{1}{}{b}{a")
    }

    @Test func ibanCheckIsTheCharacterCheck() {
        func reference(_ raw: String) -> Bool {
            let iban = raw.replacingOccurrences(of: " ", with: "").uppercased()
            guard (15...34).contains(iban.count), iban.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
                iban.prefix(2).allSatisfy(\.isLetter), iban.dropFirst(2).prefix(2).allSatisfy(\.isNumber)
            else { return false }
            var remainder = 0
            for character in iban.dropFirst(4) + iban.prefix(4) {
                let value = character.isNumber ? character.wholeNumberValue! : Int(character.asciiValue! - 55)
                for digit in String(value) { remainder = (remainder * 10 + digit.wholeNumberValue!) % 97 }
            }
            return remainder == 1
        }
        var ibans = [
            "FR7630006000011234567890189", "FR76 3000 6000 0112 3456 7890 189", "fr7630006000011234567890189",
            "FR7630006000011234567890188", "DE89370400440532013000", "GB82WEST12345698765432", "GB82WEST1234569876543Z",
            "FR76300060000112345678901８9", "ßS7630006000011234567890189", "FR76 3000\u{301}6000011234567890189", "",
        ]
        for iban in Array(ibans) {
            for index in iban.indices {
                ibans.append(iban.replacingCharacters(in: index...index, with: "7"))
            }
        }
        for iban in ibans { #expect(Identifiers.ibanPasses(iban) == reference(iban), "\(iban)") }
        #expect(Identifiers.ibanPasses("FR7630006000011234567890189"))
    }

    @Test func scopeOrdinalsArePositions() {
        for (index, scope) in CheckRule.Scope.allCases.enumerated() { #expect(scope.ordinal == index) }
        // A run limited to some scopes reports exactly those rules' findings.
        let bytes = Array("<Invoice><ID>1</ID></Invoice>".utf8)
        let context = InvoiceChecker.context(bytes, name: "f.xml", today: "2026-01-01")
        let all = InvoiceChecker.run(context)
        for scope in CheckRule.Scope.allCases {
            let some = InvoiceChecker.run(context, scopes: [.file, scope])
            #expect(some == all.filter { [.file, scope].contains(CheckRules.rule($0.rule)!.scope) })
        }
    }

    @Test func partyIdentifiersAndDatesAreTheCharacterReading() {
        func party(_ raw: String?) -> CheckRules.PartyIdentifier {
            let value = (raw ?? "").replacingOccurrences(of: " ", with: "")
            if value.isEmpty { return .missing }
            if value.allSatisfy(\.isNumber) { return value.count == 14 ? .siret : value.count == 9 ? .siren : .malformed }
            if value.prefix(2).allSatisfy({ $0.isASCII && $0.isLetter }), value.contains(where: \.isNumber) {
                return value.uppercased().hasPrefix("FR") ? .frenchVAT : .foreign
            }
            return .malformed
        }
        func isoDate(_ text: String) -> String {
            let digits = text.filter(\.isNumber)
            if text.count == 8, digits.count == 8 {
                let chars = Array(text)
                return "\(String(chars[0..<4]))-\(String(chars[4..<6]))-\(String(chars[6..<8]))"
            }
            if text.count >= 10 { return String(text.prefix(10)) }
            return text
        }
        var samples = Self.samples() + [
            "12345678900011", "123 456 789 00011", "123456789", "1234567890", "FR12345678901", "fr12345678901",
            "Fr1", "DE123456789", "F1", "F", "FRANCE", "1\u{301}23456789", "٣٢١", "20260115", "2026-01-15T10:00:00",
            "2026011", "202601150", "2026\r\n0115", "2026-01-15", "2026/01/15", "２0260115", "\r\n12345678",
        ]
        samples += samples.map { "FR" + $0 } + samples.map { $0 + "12345678" }
        for text in samples {
            #expect(CheckRules.PartyIdentifier(text) == party(text), "\(Array(text.unicodeScalars))")
            #expect(InvoiceDocument.isoDate(text) == isoDate(text), "\(Array(text.unicodeScalars))")
        }
        #expect(CheckRules.PartyIdentifier(nil) == .missing)
        #expect(InvoiceDocument.isoDate(nil) == nil)
    }

    @Test func dayPaddingIsPrintfs() {
        for value in [0, 1, 9, 10, 99, 100, 999, 1000, 2026, 12345, -1, -5, -99, -123, -1234] {
            for width in [2, 4] {
                #expect(ChorusDate.padded(value, width) == String(format: "%0\(width)d", value), "\(value) \(width)")
            }
        }
        #expect(ChorusDate.day(Date(timeIntervalSince1970: 1_767_225_600)) == "2026-01-01")
    }
}
