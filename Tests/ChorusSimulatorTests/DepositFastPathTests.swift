@testable import ChorusSimulator
import Foundation
import Testing

/// The byte-level shortcuts of the deposit path give what the Foundation calls they replaced give.
@Suite struct DepositFastPathTests {
    @Test func fluxNumbersAreThePrintfNumbers() {
        for id: Int64 in [0, 1, 9_000_001, 9_000_002, 123_456_789_012, -5, -1_117_000_000_000_000_000] {
            #expect(
                Handlers.fluxNumber(id) == "CPP001" + String(format: "%019lld", 1_117_000_000_000_000_000 + id),
                "\(id)")
        }
        #expect(Handlers.fluxNumber(9_000_001) == "CPP0011117000000009000001")
    }

    @Test func headerTrimmingIsFoundations() {
        let pieces = [" ", "\t", "\u{A0}", "\u{2003}", "\n", "a", "B", "é", "\u{301}", "x y", ";"]
        var samples = pieces
        for a in pieces { for b in pieces { for c in pieces { samples.append(a + b + c) } } }
        for text in samples {
            #expect(
                Gateway.trimmingWhitespaces(Substring(text)) == text.trimmingCharacters(in: .whitespaces),
                "\(Array(text.unicodeScalars))")
            let sub = Substring("  " + text + "\t")
            #expect(Gateway.trimmingWhitespaces(sub) == sub.trimmingCharacters(in: .whitespaces))
        }
    }
}
