import ChorusAPI
import Foundation
import JSONValue
import Testing

@Suite struct TOMLReaderTests {
    static let valid: [(String, JSONValue)] = [
        ("", .object([:])),
        ("# only a comment\n\n", .object([:])),
        ("a = 1\nb = -2\nc = +3\nd = 1_000\n", .object(["a": .integer(1), "b": .integer(-2), "c": .integer(3), "d": .integer(1000)])),
        ("x = 0xDEAD_beef\no = 0o755\nb = 0b1010\n", .object(["x": .integer(0xDEAD_BEEF), "o": .integer(0o755), "b": .integer(10)])),
        ("max = 9223372036854775807\nmin = -9223372036854775808", .object(["max": .integer(.max), "min": .integer(.min)])),
        ("f = 1.5\ng = -0.25\nh = 1e3\ni = 6.02E+23\nj = 1_0.5e-1_0\n",
         .object(["f": .number(1.5), "g": .number(-0.25), "h": .number(1000), "i": .number(6.02e23), "j": .number(10.5e-10)])),
        ("p = inf\nm = -inf\n", .object(["p": .number(.infinity), "m": .number(-.infinity)])),
        ("t = true\nf = false", .object(["t": .bool(true), "f": .bool(false)])),
        (#"s = "a\tb\n\"q\" \\ \u00E9 \U0001F600 \b\f\r""#, .object(["s": .string("a\tb\n\"q\" \\ é 😀 \u{8}\u{C}\r")])),
        ("s = 'C:\\path\\no \"escape\"'", .object(["s": .string("C:\\path\\no \"escape\"")])),
        ("s = \"\"\"\nline 1\nline 2\\\n    continued\"\"\"", .object(["s": .string("line 1\nline 2continued")])),
        ("s = '''\nraw \\n\n'''", .object(["s": .string("raw \\n\n")])),
        ("s = \"\"\"a \"\"quoted\"\" \"\"\"\"\"", .object(["s": .string("a \"\"quoted\"\" \"\"")])),
        ("\"quoted key\" = 1\n'lit' = 2\n\"\" = 3", .object(["quoted key": .integer(1), "lit": .integer(2), "": .integer(3)])),
        ("a.b.c = 1\na.b.d = 2\na . \"e f\" = 3",
         .object(["a": .object(["b": .object(["c": .integer(1), "d": .integer(2)]), "e f": .integer(3)])])),
        ("[t]\nk = \"v\"\n[t.sub]\nn = 1\n[u.\"v w\"]\n",
         .object(["t": .object(["k": .string("v"), "sub": .object(["n": .integer(1)])]), "u": .object(["v w": .object([:])])])),
        ("[a.b]\nx = 1\n[a]\ny = 2", .object(["a": .object(["b": .object(["x": .integer(1)]), "y": .integer(2)])])),
        ("[[f]]\nop = \"x\"\n[[f]]\nop = \"y\"\n[f.sub]\nz = 1\n[[f.list]]\n",
         .object(["f": .array([.object(["op": .string("x")]),
                               .object(["op": .string("y"), "sub": .object(["z": .integer(1)]), "list": .array([.object([:])])])])])),
        ("a = [\n  1, # one\n  2,\n  # nothing\n]\nb = []\nc = [[1, 2], [\"x\"], [{ k = true }]]",
         .object(["a": .array([.integer(1), .integer(2)]), "b": .array([]),
                  "c": .array([.array([.integer(1), .integer(2)]), .array([.string("x")]), .array([.object(["k": .bool(true)])])])])),
        ("t = { a = 1, b.c = \"x\", d = {} }", .object(["t": .object(["a": .integer(1), "b": .object(["c": .string("x")]), "d": .object([:])])])),
        ("a = 1\r\nb = 2 # comment\r\n", .object(["a": .integer(1), "b": .integer(2)])),
        ("[profiles.work]\nenv = \"sandbox\"\ntimeout = 30\nallow_writes = false\n",
         .object(["profiles": .object(["work": .object(["env": .string("sandbox"), "timeout": .integer(30), "allow_writes": .bool(false)])])])),
    ]

    @Test(arguments: 0..<valid.count) func readsValidDocuments(_ index: Int) throws {
        let (text, expected) = Self.valid[index]
        #expect(try TOMLReader.parse(text) == expected, "\(text)")
    }

    @Test func nanIsAFloat() throws {
        let value = try TOMLReader.parse("n = nan\nm = -nan")
        guard case .number(let n) = value["n"], case .number(let m) = value["m"] else {
            Issue.record("not numbers: \(value)")
            return
        }
        #expect(n.isNaN && m.isNaN)
    }

    static let invalid: [(String, TOMLError)] = [
        ("[{", TOMLError(line: 1, column: 2, reason: "unexpected '{': expected a key (letters, digits, '_' and '-', or a quoted string)")),
        ("[", TOMLError(line: 1, column: 2, reason: "expected a table name after '['")),
        ("[[", TOMLError(line: 1, column: 3, reason: "expected a table name after '[['")),
        ("[a", TOMLError(line: 1, column: 3, reason: "unexpected end of the document in the table header: expected ']' to close it")),
        ("[[a]\n", TOMLError(line: 1, column: 4, reason: "unexpected ']' in the table header: expected ']]' to close it")),
        ("[a] x", TOMLError(line: 1, column: 5, reason: "unexpected 'x' after the table header: expected the end of the line")),
        ("a = \"x", TOMLError(line: 1, column: 7, reason: "the string is not closed")),
        ("a = \"x\nb = 1", TOMLError(line: 1, column: 7, reason: "the string is not closed")),
        ("a = 'x", TOMLError(line: 1, column: 7, reason: "the string is not closed")),
        ("a = \"\"\"x\n", TOMLError(line: 2, column: 1, reason: "the multi-line string is not closed")),
        ("a = \"\\q\"", TOMLError(line: 1, column: 6, reason: "unknown escape \\q in a string")),
        ("a = \"\\u12\"", TOMLError(line: 1, column: 6, reason: "\\u must be followed by 4 hexadecimal digits")),
        ("a = \"\\UFFFFFFFF\"", TOMLError(line: 1, column: 6, reason: "\\UFFFFFFFF is not a Unicode scalar value")),
        ("a = \"\\uD800\"", TOMLError(line: 1, column: 6, reason: "\\uD800 is not a Unicode scalar value")),
        ("a = \"x\u{1}\"", TOMLError(line: 1, column: 7, reason: "control character \\u0001 in a string")),
        ("a = 1\na = 2", TOMLError(line: 2, column: 1, reason: "the key 'a' is defined twice")),
        ("t.x = 1\nt.x = 2", TOMLError(line: 2, column: 3, reason: "the key 't.x' is defined twice")),
        ("[t]\n[t]", TOMLError(line: 2, column: 2, reason: "the table [t] is defined twice")),
        ("a.b = 1\n[a]", TOMLError(line: 2, column: 2, reason: "the table [a] is defined twice")),
        ("[a]\n[b]\na.x = 1\n[a]", TOMLError(line: 4, column: 2, reason: "the table [a] is defined twice")),
        ("a = 1\n[a]", TOMLError(line: 2, column: 2, reason: "the key 'a' already holds a value, it cannot become a table")),
        ("a = {}\n[a.b]", TOMLError(line: 2, column: 2, reason: "the key 'a' already holds a value, it cannot become a table")),
        ("[[a]]\n[a]", TOMLError(line: 2, column: 2, reason: "[a] is a table but a is already an array of tables ([[a]])")),
        ("[a]\n[[a]]", TOMLError(line: 2, column: 3, reason: "[[a]] is an array of tables but a is already a table")),
        ("a = []\n[[a]]", TOMLError(line: 2, column: 3, reason: "the key 'a' already holds a value, it cannot become a table")),
        ("a.b = 1\na.b.c = 2", TOMLError(line: 2, column: 3, reason: "the key 'b' is already defined; a dotted key cannot extend it")),
        ("[a.b]\n[a]\nb.c = 1", TOMLError(line: 3, column: 1, reason: "the key 'b' is already defined; a dotted key cannot extend it")),
        ("a = 01", TOMLError(line: 1, column: 5, reason: "leading zeros are not allowed in '01'")),
        ("a = 1__0", TOMLError(line: 1, column: 5, reason: "'_' must stand between two digits in '1__0'")),
        ("a = _1", TOMLError(line: 1, column: 5, reason: "'_1' is not a value: strings are written in quotes (\"_1\")")),
        ("a = 1_", TOMLError(line: 1, column: 5, reason: "'_' must stand between two digits in '1_'")),
        ("a = 0xG", TOMLError(line: 1, column: 5, reason: "'0xG' is not a valid base-16 integer")),
        ("a = 0b12", TOMLError(line: 1, column: 5, reason: "'0b12' is not a valid base-2 integer")),
        ("a = -0x1", TOMLError(line: 1, column: 5, reason: "'-0x1': a sign is not allowed on hexadecimal, octal or binary integers")),
        ("a = 9223372036854775808", TOMLError(line: 1, column: 5, reason: "the integer '9223372036854775808' does not fit in 64 bits")),
        ("a = 1.", TOMLError(line: 1, column: 5, reason: "'1.' is not a valid number")),
        ("a = .5", TOMLError(line: 1, column: 5, reason: "'.5' is not a value: strings are written in quotes (\".5\")")),
        ("a = 1e", TOMLError(line: 1, column: 5, reason: "'1e' is not a valid number")),
        ("a = 1e400", TOMLError(line: 1, column: 5, reason: "'1e400' is not a valid float")),
        ("a = 1.2.3", TOMLError(line: 1, column: 5, reason: "'1.2.3' is not a valid number")),
        ("a = 1979-05-27", TOMLError(line: 1, column: 5, reason: "dates and times are not supported ('1979-05-27'): write it as a string")),
        ("a = 07:32:00", TOMLError(line: 1, column: 5, reason: "dates and times are not supported ('07:32:00'): write it as a string")),
        ("a = x", TOMLError(line: 1, column: 5, reason: "'x' is not a value: strings are written in quotes (\"x\")")),
        ("a = ", TOMLError(line: 1, column: 5, reason: "expected a value")),
        ("a = 1 b", TOMLError(line: 1, column: 7, reason: "unexpected 'b' after the value of 'a': expected the end of the line")),
        ("a 1", TOMLError(line: 1, column: 3, reason: "unexpected '1' after the key 'a': expected '='")),
        ("= 1", TOMLError(line: 1, column: 1, reason: "unexpected '=': expected a key (letters, digits, '_' and '-', or a quoted string)")),
        ("a = [1, 2", TOMLError(line: 1, column: 10, reason: "the array is not closed with ']'")),
        ("a = [1 2]", TOMLError(line: 1, column: 8, reason: "unexpected '2' in the array: expected ',' or ']'")),
        ("a = [,]", TOMLError(line: 1, column: 6, reason: "unexpected ',': expected a value")),
        ("a = {b = 1", TOMLError(line: 1, column: 11, reason: "the inline table is not closed with '}' (it must be on one line)")),
        ("a = {b = 1,\n}", TOMLError(line: 1, column: 12, reason: "the inline table is not closed with '}' (it must be on one line)")),
        ("a = {b = 1, b = 2}", TOMLError(line: 1, column: 13, reason: "the key 'b' is defined twice")),
        ("a = tru", TOMLError(line: 1, column: 5, reason: "'tru' is not a value: strings are written in quotes (\"tru\")")),
        ("a = 1\rb = 2", TOMLError(line: 1, column: 6, reason: "a carriage return must be followed by a line feed")),
        ("# bad \u{7F} comment", TOMLError(line: 1, column: 7, reason: "control character \\u007F in a comment")),
        ("\"\"\"k\"\"\" = 1", TOMLError(line: 1, column: 1, reason: "a key cannot be a multi-line string")),
        ("a = " + String(repeating: "[", count: 100), TOMLError(line: 1, column: 68, reason: "nesting deeper than 64 levels")),
        (String(repeating: "a.", count: 80) + "b = 1", TOMLError(line: 1, column: 129, reason: "nesting deeper than 64 levels")),
    ]

    @Test(arguments: 0..<invalid.count) func refusesInvalidDocumentsAtTheirPosition(_ index: Int) {
        let (text, expected) = Self.invalid[index]
        #expect(throws: expected, "\(text)") { try TOMLReader.parse(text) }
    }

    @Test func refusesInvalidUTF8AndOversizedDocuments() {
        #expect(throws: TOMLError(line: 2, column: 6, reason: "the document is not valid UTF-8")) {
            try TOMLReader.parse(Array("a = 1\nb = \"".utf8) + [0xFF, 0x22])
        }
        let big = [UInt8](repeating: UInt8(ascii: "#"), count: TOMLReader.maximumBytes + 1)
        #expect(
            throws: TOMLError(
                line: 1, column: 1,
                reason: "the document is \(TOMLReader.maximumBytes + 1) bytes, more than the \(TOMLReader.maximumBytes)-byte limit")
        ) { try TOMLReader.parse(big) }
    }

    /// Near the size limit, the largest structures still read in linear time (each `[[a]]` appends in place).
    /// The place of each top-level key, first written, and how it was written (what the plugin
    /// manifest points at after checking the values).
    @Test func aDocumentGivesThePlaceOfEachTopLevelKey() throws {
        let document = try TOMLReader.document("# c\nname = \"p\"\n  list = [\n 1 ]\na.b = 1\na.c = 2\n[t.u]\nx = 1\n[[arr]]\n")
        #expect(document.value["list"] == .array([.integer(1)]))
        #expect(document.keys == [
            TOMLKeyPosition(name: "name", path: "name", form: .value, line: 2, column: 1, valueLine: 2, valueColumn: 8),
            TOMLKeyPosition(name: "list", path: "list", form: .value, line: 3, column: 3, valueLine: 3, valueColumn: 10),
            TOMLKeyPosition(name: "a", path: "a.b", form: .dottedKey, line: 5, column: 1, valueLine: 5, valueColumn: 7),
            TOMLKeyPosition(name: "t", path: "t.u", form: .header, line: 7, column: 1, valueLine: 7, valueColumn: 1),
            TOMLKeyPosition(name: "arr", path: "arr", form: .header, line: 9, column: 1, valueLine: 9, valueColumn: 1),
        ])
    }

    @Test func aMegabyteOfArrayTablesReads() throws {
        let count = 150_000
        let value = try TOMLReader.parse(String(repeating: "[[a]]\n", count: count))
        #expect(value["a"]?.arrayValue?.count == count)
    }

    @Test func theScenarioExampleReads() throws {
        let text = """
            [settings]
            processing_delay = 0.2

            [[faults]]                               # AUTH_APP: PISTE refuses the application once
            operation = "token"
            status = 401
            error_rate = 1.0
            """
        #expect(
            try TOMLReader.parse(text)
                == .object([
                    "settings": .object(["processing_delay": .number(0.2)]),
                    "faults": .array([.object(["operation": .string("token"), "status": .integer(401), "error_rate": .number(1)])]),
                ]))
    }

    /// Random documents and mutations of valid ones: any outcome but a crash (a trap ends the test run).
    @Test func randomAndMutatedInputsNeverCrash() {
        var generator = SplitMix64(seed: 0x5EED_70_4D)
        let alphabet = Array("[]{}=.,\"'#\\\n\r\t _-+0123456789abcdefxoinuUtrse:".unicodeScalars)
        let seeds = Self.valid.map(\.0) + Self.invalid.map(\.0)
        var accepted = 0
        for round in 0..<4000 {
            var scalars: [Unicode.Scalar]
            if round % 2 == 0 {
                scalars = Array(seeds[Int(generator.next() % UInt64(seeds.count))].unicodeScalars)
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    let position = scalars.isEmpty ? 0 : Int(generator.next() % UInt64(scalars.count + 1))
                    let c = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    switch generator.next() % 3 {
                    case 0: scalars.insert(c, at: position)
                    case 1 where position < scalars.count: scalars.remove(at: position)
                    default: if position < scalars.count { scalars[position] = c } else { scalars.append(c) }
                    }
                }
            } else {
                scalars = (0..<Int(generator.next() % 60)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            if (try? TOMLReader.parse(text)) != nil { accepted += 1 }
        }
        // Mutations keep some documents valid: the generator does reach the parser's accepting paths.
        #expect(accepted > 100)
    }
}

/// A small deterministic generator, so that a failing input can be replayed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
