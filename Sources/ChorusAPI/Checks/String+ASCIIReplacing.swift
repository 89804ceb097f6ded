import Foundation

extension String {
    /// `replacingOccurrences(of:with:)` with the same result, without Foundation's NSString round trip
    /// when both the text and `target` are ASCII: a byte match is then exactly the match of Foundation's
    /// default (non-literal) comparison. Any other text takes Foundation's path. The checker calls this
    /// for every identifier and element path of every deposit the simulator reads; through NSString it
    /// was 8 % of the simulator's time per deposit.
    func replacingASCII(_ target: String, with replacement: String) -> String {
        var pattern = target
        let fast: String?? = pattern.withUTF8 { needle -> String?? in
            guard let first = needle.first, !needle.contains(where: { $0 >= 0x80 }) else { return .some(nil) }
            var text = self
            return text.withUTF8 { haystack -> String? in
                guard !haystack.contains(where: { $0 >= 0x80 }) else { return nil }
                var output: [UInt8] = []
                var copied = 0
                var index = 0
                let last = haystack.count - needle.count
                while index <= last {
                    if haystack[index] == first, needle.indices.allSatisfy({ haystack[index + $0] == needle[$0] }) {
                        if output.isEmpty { output.reserveCapacity(haystack.count) }
                        output.append(contentsOf: haystack[copied..<index])
                        output.append(contentsOf: replacement.utf8)
                        index += needle.count
                        copied = index
                    } else {
                        index += 1
                    }
                }
                if copied == 0 { return self }
                output.append(contentsOf: haystack[copied...])
                return String(decoding: output, as: UTF8.self)
            }
        }
        if case .some(.some(let result)) = fast { return result }
        return replacingOccurrences(of: target, with: replacement)
    }
}

extension String {
    /// `body` on the UTF-8 of `text` when each character of it is one ASCII byte (ASCII, no CR: CR LF
    /// is one character of two bytes), so counting, slicing and classifying bytes is the same as doing
    /// it on characters; nil otherwise (the caller then takes its character path).
    static func withASCIICharacters<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        var copy = text
        return copy.withUTF8 { bytes in
            bytes.contains(where: { $0 >= 0x80 || $0 == 0x0D }) ? nil : body(bytes)
        }
    }
}
