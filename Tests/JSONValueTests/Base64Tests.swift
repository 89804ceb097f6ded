import Foundation
import JSONValue
import Testing

/// The base64 codec against RFC 4648's vectors and Foundation's encoder, including the fast path's
/// group boundaries (line breaks, padding, errors after a run of valid groups).
@Suite struct Base64Tests {
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) throws {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(try Base64.decode(Array(encoded.utf8)).get() == Array(plain.utf8))
    }

    @Test func agreesWithFoundationOnEveryLengthAndByte() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString()
            #expect(Base64.encode(bytes) == expected, "length \(length)")
            #expect(try Base64.decode(Array(expected.utf8)).get() == bytes, "length \(length)")
            // Line-wrapped (MIME style) and unpadded text decodes the same.
            let wrapped = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            #expect(try Base64.decode(Array(wrapped.utf8)).get() == bytes, "wrapped, length \(length)")
            let unpadded = expected.replacingOccurrences(of: "=", with: "")
            #expect(try Base64.decode(Array(unpadded.utf8)).get() == bytes, "unpadded, length \(length)")
        }
    }

    @Test(arguments: [
        ("Zm9vYmFyZm9v$", 13, "'$' is not a base64 character"),
        ("Zm9v\nYm\u{1}Fy", 8, "byte 0x1 is not a base64 character"),
        ("Zg===", 5, "too much padding"),
        ("Zg==Zm9v", 5, "data after padding"),
        ("Zm9vY", 5, "truncated input"),
    ])
    func errorsNameTheirPosition(text: String, position: Int, reason: String) {
        guard case .failure(let error) = Base64.decode(Array(text.utf8)) else {
            Issue.record("\(text.debugDescription) decoded")
            return
        }
        #expect(error.position == position)
        #expect(error.reason == reason)
    }
}

/// Any window of the text, as a streamed body asks for it, is that slice of the whole encoding.
@Suite struct Base64WindowTests {
    @Test func everyWindowIsTheSliceOfTheWholeText() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 3, 4, 5, 6, 7, 31, 32, 33] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let whole = Base64.encodedBytes(bytes)
            for start in 0...whole.count {
                for count in 0...(whole.count - start) {
                    let window = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                        bytes.withUnsafeBytes { Base64.encode($0, textFrom: start, into: UnsafeMutableRawBufferPointer(out)) }
                        initialized = count
                    }
                    #expect(window == Array(whole[start..<(start + count)]), "\(length) bytes, \(start)+\(count)")
                }
            }
        }
    }
}
