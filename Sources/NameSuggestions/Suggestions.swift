/// "Did you mean" hints for unknown names (options, operations, error codes), shared by the Lua
/// runtime and the Chorus client so both rank names the same way.
///
/// The cost is bounded whatever the input: a name or candidate longer than ``maximumLength``
/// gets no suggestion, so a megabyte-long "name" costs nothing to refuse.
public enum Suggestions {
    /// Longest name (in Unicode scalars) worth comparing; real names are far shorter.
    public static let maximumLength = 128

    /// ` (did you mean 'x'?)` for the closest candidates, or ` (valid: a, b, c)` when none is close.
    public static func hint(for name: String, among candidates: [String]) -> String {
        let close = closest(to: name, among: candidates, limit: 3)
        if !close.isEmpty { return " (did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?)" }
        return candidates.isEmpty ? "" : " (valid: " + candidates.sorted().joined(separator: ", ") + ")"
    }

    /// Candidates within a small edit distance of `name` (case-insensitive), closest first.
    public static func closest(to name: String, among candidates: [String], limit: Int) -> [String] {
        guard name.unicodeScalars.count <= maximumLength else { return [] }
        let lower = name.lowercased()
        let threshold = max(2, name.count / 3)
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            guard let d = distance(lower, candidate.lowercased()) else { return nil }
            return (candidate, d)
        }
        return scored.filter { $0.1 <= threshold || $0.0.lowercased().contains(lower) && lower.count >= 3 }
            .sorted { $0.1 == $1.1 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .prefix(limit).map(\.0)
    }

    /// Levenshtein distance over Unicode scalars, or nil when either string is longer than
    /// ``maximumLength`` (the answer would be useless and its cost quadratic).
    public static func distance(_ a: String, _ b: String) -> Int? {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        guard a.count <= maximumLength, b.count <= maximumLength else { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
