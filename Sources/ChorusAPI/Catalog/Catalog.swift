import Foundation
import NameSuggestions

/// Every Chorus Pro operation the client can call, as data.
///
/// Factures and Structures come from the official Swagger files (a test checks them against those files);
/// the other groups from the paths used by production clients. Lookup accepts `group.operationId`, the
/// bare operationId, and the aliases of the reference, case-insensitively.
public enum Catalog {
    /// All operations, Factures first, in a stable order.
    public static let operations: [ChorusOperation] = factures + structures + transverses + others

    /// The operations of one API group.
    public static func operations(in group: ChorusOperation.Group) -> [ChorusOperation] {
        operations.filter { $0.group == group }
    }

    private static let index: [String: ChorusOperation] = {
        var index: [String: ChorusOperation] = [:]
        for op in operations {
            let group = op.group.rawValue.lowercased()
            for name in [op.operationId] + op.aliases {
                index["\(group).\(name.lowercased())"] = op
                // A bare name that two groups share would be ambiguous; none does today, first wins.
                if index[name.lowercased()] == nil { index[name.lowercased()] = op }
            }
        }
        return index
    }()

    /// The operation named `name` (`factures.deposerFluxFacture`, `deposerFluxFacture`, or an alias), or nil.
    public static func find(_ name: String) -> ChorusOperation? {
        index[key(name)]
    }

    /// `name` trimmed of whitespace (`CharacterSet.whitespaces`) and lowercased. A name that starts and
    /// ends with an ASCII byte other than a space or a tab has nothing to trim (every name the code
    /// passes itself, looked up at each request): Foundation's trim, a bridged string on Linux, is skipped.
    static func key(_ name: String) -> String {
        func plain(_ byte: UInt8?) -> Bool { byte.map { $0 < 0x80 && $0 != 0x20 && $0 != 0x09 } ?? false }
        if plain(name.utf8.first), plain(name.utf8.last) { return name.lowercased() }
        return name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The operation named `name`, or a CONFIG error that suggests the closest names.
    public static func operation(named name: String) throws(ChorusError) -> ChorusOperation {
        if let op = find(name) { return op }
        let close = suggestions(for: name)
        let shown = name.count > 80 ? String(name.prefix(80)) + "…" : name
        var message = "unknown operation '\(shown)'"
        if !close.isEmpty { message += "; did you mean \(close.map { "'\($0)'" }.joined(separator: ", "))?" }
        throw ChorusError(
            code: .config, message: message, operation: shown,
            remediation: "List the operations with `chorus call --list`; names are the official operationIds.")
    }

    /// Up to `limit` qualified names closest to `name` by edit distance (case-insensitive).
    public static func suggestions(for name: String, limit: Int = 3) -> [String] {
        // A name far longer than any operation id is not a typo: no suggestion, at no cost.
        guard name.unicodeScalars.count <= Suggestions.maximumLength else { return [] }
        let wanted = name.lowercased()
        let bare = wanted.split(separator: ".").last.map(String.init) ?? wanted
        var scored: [(distance: Int, name: String)] = []
        for op in operations {
            let candidates = [op.operationId] + op.aliases
            let best =
                candidates.map { candidate -> Int in
                    let c = candidate.lowercased()
                    // A truncated name ("deposerFlux") is as good as a one-letter typo.
                    if bare.count >= 5, c.hasPrefix(bare) || c.contains(bare) { return 1 }
                    let distances = [
                        Suggestions.distance(bare, c), Suggestions.distance(wanted, "\(op.group.rawValue.lowercased()).\(c)"),
                    ]
                    return distances.compactMap { $0 }.min() ?? Int.max
                }.min() ?? Int.max
            scored.append((best, op.qualifiedName))
        }
        // Allow roughly one typo in three characters, so unrelated names are not suggested.
        let threshold = max(3, bare.count / 3)
        return scored.filter { $0.distance <= threshold }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
            .prefix(limit).map(\.name)
    }
}
