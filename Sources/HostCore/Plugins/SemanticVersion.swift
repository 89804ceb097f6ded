import Foundation

/// A semantic version (`1.4.2`, `2.0.0-beta.1`), as plugins declare theirs. Build metadata (`+...`) is
/// accepted and ignored, as semver says.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    /// The pre-release identifiers (`beta.1`), empty for a release.
    public var prerelease: [String]

    public init(_ major: Int, _ minor: Int, _ patch: Int = 0, prerelease: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
    }

    /// Parses a full `MAJOR.MINOR.PATCH[-PRE][+BUILD]` version; nil when it is not one.
    public init?(_ text: String) {
        self.init(text, partial: false)
    }

    /// With `partial`, `1` and `1.2` are accepted too (missing parts are 0): the form of range bounds.
    init?(_ text: String, partial: Bool) {
        guard text.utf8.count <= 128 else { return nil }
        var core = Substring(text)
        if let plus = core.firstIndex(of: "+") {
            let build = core[core.index(after: plus)...]
            guard !build.isEmpty, build.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(Self.isIdentifier)
            else { return nil }
            core = core[..<plus]
        }
        var pre: [String] = []
        if let dash = core.firstIndex(of: "-") {
            let parts = core[core.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy(Self.isIdentifier) else { return nil }
            pre = parts.map(String.init)
            core = core[..<dash]
        }
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3 || (partial && (1...2).contains(numbers.count)) else { return nil }
        var values: [Int] = []
        for number in numbers {
            // Digits only, no leading zero (semver), and small enough to compare safely.
            guard !number.isEmpty, number.count <= 9, number.allSatisfy({ $0.isASCII && $0.isNumber }),
                number == "0" || number.first != "0", let value = Int(number)
            else { return nil }
            values.append(value)
        }
        while values.count < 3 { values.append(0) }
        self.init(values[0], values[1], values[2], prerelease: pre)
    }

    private static func isIdentifier(_ part: Substring) -> Bool {
        !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    public var description: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
    }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) {
            return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
        }
        // A pre-release comes before its release; identifiers compare numerically when both are numbers.
        if a.prerelease.isEmpty || b.prerelease.isEmpty { return !a.prerelease.isEmpty && b.prerelease.isEmpty }
        for (x, y) in zip(a.prerelease, b.prerelease) where x != y {
            switch (Int(x), Int(y)) {
            case (let i?, let j?): return i < j
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return x < y
            }
        }
        return a.prerelease.count < b.prerelease.count
    }
}

/// A range of versions: comparators all of which must hold, separated by spaces or commas
/// (`>=1.0 <2.0`, `>=1.2, <1.5`), each `>=`, `>`, `<=`, `<`, `=` (or none: exactly), `^` (same
/// major, or same minor below 1.0) or `~` (same minor); `*` is any version. Bounds may leave out
/// parts (`>=1` is `>=1.0.0`).
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    enum Operator: String, Sendable, Hashable { case ge = ">=", gt = ">", le = "<=", lt = "<", eq = "=", caret = "^", tilde = "~" }

    struct Comparator: Sendable, Hashable {
        var op: Operator
        var version: SemanticVersion
    }

    let comparators: [Comparator]
    /// The text as written.
    public let description: String

    /// Why a range does not parse.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ParseError(description: "it is empty (write e.g. \">=1.0 <2.0\", or \"*\" for any)") }
        guard trimmed.utf8.count <= 256 else { throw ParseError(description: "it is longer than 256 characters") }
        description = trimmed
        if trimmed == "*" {
            comparators = []
            return
        }
        var result: [Comparator] = []
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
        guard words.count <= 16 else { throw ParseError(description: "it has more than 16 comparators") }
        for word in words {
            var rest = Substring(word)
            var op = Operator.eq
            for candidate in [Operator.ge, .le, .gt, .lt, .eq, .caret, .tilde] where rest.hasPrefix(candidate.rawValue) {
                op = candidate
                rest = rest.dropFirst(candidate.rawValue.count)
                break
            }
            guard let version = SemanticVersion(String(rest), partial: true) else {
                throw ParseError(
                    description: "'\(word)' is not a comparator (an operator >=, >, <=, <, =, ^ or ~ followed by a version such as 1.2 or 1.2.3)")
            }
            result.append(Comparator(op: op, version: version))
        }
        comparators = result
    }

    /// True when `version` satisfies every comparator.
    public func contains(_ version: SemanticVersion) -> Bool {
        comparators.allSatisfy { comparator in
            let bound = comparator.version
            switch comparator.op {
            case .ge: return version >= bound
            case .gt: return version > bound
            case .le: return version <= bound
            case .lt: return version < bound
            case .eq: return version == bound
            case .caret:
                let upper = bound.major > 0
                    ? SemanticVersion(bound.major + 1, 0) : SemanticVersion(0, bound.minor + 1)
                return version >= bound && version < upper
            case .tilde:
                return version >= bound && version < SemanticVersion(bound.major, bound.minor + 1)
            }
        }
    }
}
