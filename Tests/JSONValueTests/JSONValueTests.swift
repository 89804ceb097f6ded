import Testing
@testable import JSONValue

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" {"a": [1, -2.5, 3e2, true, false, null], "b": {}, "c": [], "s": "\u00e9\ud83d\ude00\n"} "#)
        #expect(value == .object([
            "a": .array([.integer(1), .number(-2.5), .number(300), .bool(true), .bool(false), .null]),
            "b": .object([:]), "c": .array([]), "s": .string("é😀\n"),
        ]))
    }

    @Test func keepsLargeIntegersExact() throws {
        #expect(try JSONValue.parse("9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try JSONValue.parse("12345678200051") == .integer(12_345_678_200_051))
    }

    @Test(arguments: [
        ("", "invalid JSON at line 1, column 1: empty document"),
        ("{\"a\" 1}", "invalid JSON at line 1, column 6: unexpected '1', expected ':' after object key"),
        ("[1,\n 2,\n x]", "invalid JSON at line 3, column 2: unexpected 'x', expected a value"),
        ("[1] 2", "invalid JSON at line 1, column 5: unexpected '2' after the document"),
        ("\"abc", "invalid JSON at line 1, column 1: unterminated string"),
        ("01", "invalid JSON at line 1, column 1: leading zero in number"),
        ("tru", "invalid JSON at line 1, column 1: invalid literal, expected 'true'"),
        ("\"\\ud800\"", "invalid JSON at line 1, column 8: unpaired surrogate in \\u escape"),
        ("{\"a\":1,}", "invalid JSON at line 1, column 8: unexpected '}', expected a string key"),
    ])
    func reportsWhereTextGoesWrong(text: String, message: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        do { _ = try JSONValue.parse(text) } catch { #expect(error.description == message) }
    }

    @Test func refusesHostileNesting() {
        let deep = String(repeating: "[", count: 10_000)
        do {
            _ = try JSONValue.parse(deep)
            Issue.record("parsed")
        } catch {
            #expect(error.reason == "nesting deeper than 512 levels")
        }
    }

    @Test func writesCompactAndPrettyWithSortedKeys() {
        let value: JSONValue = ["b": [1, 2.5, "x\"y"], "a": nil, "e": [:], "f": []]
        #expect(value.serialized() == #"{"a":null,"b":[1,2.5,"x\"y"],"e":{},"f":[]}"#)
        #expect(value.serialized(JSONWriteOptions(pretty: true)) == """
            {
              "a": null,
              "b": [
                1,
                2.5,
                "x\\"y"
              ],
              "e": {},
              "f": []
            }
            """)
    }

    @Test func roundTripsNumbersAndControlCharacters() throws {
        let value: JSONValue = ["n": 0.1, "i": -7, "w": 3.0, "s": "\u{1}\t"]
        let text = value.serialized()
        #expect(text == #"{"i":-7,"n":0.1,"s":"\u0001\t","w":3.0}"#)
        #expect(try JSONValue.parse(text) == value)
    }

    @Test func everyEscapeAtEveryPositionOfARun() throws {
        // Each byte that must be escaped, at the start, middle and end of a run of plain text.
        let specials: [(String, String)] = [
            ("\"", "\\\""), ("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"),
            ("\u{8}", "\\b"), ("\u{C}", "\\f"), ("\u{0}", "\\u0000"), ("\u{1F}", "\\u001f"),
        ]
        for (raw, escaped) in specials {
            for (text, expected) in [
                (raw + "ab", escaped + "ab"), ("a" + raw + "b", "a" + escaped + "b"), ("ab" + raw, "ab" + escaped),
                (raw + raw, escaped + escaped),
            ] {
                let json = JSONValue.string(text).serialized()
                #expect(json == "\"" + expected + "\"", "\(text.debugDescription)")
                #expect(try JSONValue.parse(json) == .string(text))
            }
        }
        #expect(JSONValue.string("a/b").serialized() == #""a/b""#)
        #expect(JSONValue.string("a/b").serialized(JSONWriteOptions(escapeSlashes: true)) == #""a\/b""#)
        #expect(JSONValue.string("é€😀").serialized() == "\"é€😀\"")
    }

    @Test func aLargeStringRoundTrips() throws {
        let big = String(repeating: "ABCDEFGHIJ0123456789+/", count: 100_000) + "\n"
        let value: JSONValue = ["fichierFlux": .string(big), "n": 1]
        #expect(try JSONValue.parse(value.serializedBytes()) == value)
    }
}
