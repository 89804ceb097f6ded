import Foundation
import JSONValue

/// The JSON body of a request, read with the platform's checks: a value of the wrong type, a missing
/// required member or a value outside its enumeration is a 400 `{codeRetour, libelle}` naming the member.
struct Params: Sendable {
    let members: [String: JSONValue]
    /// Where this object sits in the body, for messages (`destinataire.`).
    let prefix: String

    init(members: [String: JSONValue], prefix: String = "") {
        self.members = members
        self.prefix = prefix
    }

    /// The body of a request; it must be a JSON object.
    init(body: JSONValue) throws(Reply) {
        guard case .object(let members) = body else {
            throw Reply.invalid("Le corps de la requête doit être un objet JSON (\(body.typeName) reçu).")
        }
        self.init(members: members)
    }

    func name(_ key: String) -> String { prefix + key }

    func wrongType(_ key: String, _ expected: String, _ value: JSONValue) -> Reply {
        Reply.invalid(
            "Le paramètre '\(name(key))' n'est pas valide : \(expected) attendu, \(value.typeName) reçu.")
    }

    func missing(_ key: String) -> Reply {
        Reply.invalid("Le paramètre '\(name(key))' est obligatoire.")
    }

    /// A present, non-null member.
    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    /// A string; numbers are accepted and written in decimal (old AIFE examples send SIRETs as numbers).
    func string(_ key: String) throws(Reply) -> String? {
        guard let value = value(key) else { return nil }
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        default: throw wrongType(key, "chaîne", value)
        }
    }

    func requiredString(_ key: String) throws(Reply) -> String {
        // Blank means only whitespace: stop at the first other scalar. Trimming would copy the text through
        // NSString (UTF-16): 400 ms for the 13 Mo of base64 of a 10 Mo deposit.
        guard let text = try string(key), text.unicodeScalars.contains(where: { !CharacterSet.whitespaces.contains($0) })
        else {
            throw missing(key)
        }
        return text
    }

    /// An integer; strings of digits are accepted (ids are sometimes sent quoted).
    func int(_ key: String) throws(Reply) -> Int64? {
        guard let value = value(key) else { return nil }
        switch value {
        case .integer(let number): return number
        case .number(let number) where number.rounded() == number && abs(number) < 9e15: return Int64(number)
        case .string(let text) where Int64(text) != nil: return Int64(text)
        default: throw wrongType(key, "entier", value)
        }
    }

    func requiredInt(_ key: String) throws(Reply) -> Int64 {
        guard let number = try int(key) else { throw missing(key) }
        return number
    }

    func double(_ key: String) throws(Reply) -> Double? {
        guard let value = value(key) else { return nil }
        switch value {
        case .integer(let number): return Double(number)
        case .number(let number): return number
        default: throw wrongType(key, "nombre", value)
        }
    }

    func bool(_ key: String) throws(Reply) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(key, "booléen", value) }
        return flag
    }

    func object(_ key: String) throws(Reply) -> Params? {
        guard let value = value(key) else { return nil }
        guard case .object(let members) = value else { throw wrongType(key, "objet", value) }
        return Params(members: members, prefix: name(key) + ".")
    }

    func requiredObject(_ key: String) throws(Reply) -> Params {
        guard let object = try object(key) else { throw missing(key) }
        return object
    }

    /// An array; a single object is taken as a one-element array (the platform's own quirk).
    func array(_ key: String) throws(Reply) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        switch value {
        case .array(let elements): return elements
        case .object: return [value]
        default: throw wrongType(key, "tableau", value)
        }
    }

    /// The objects of an array member, each readable as `Params`.
    func objects(_ key: String) throws(Reply) -> [Params] {
        var result: [Params] = []
        for (index, element) in (try array(key) ?? []).enumerated() {
            guard case .object(let members) = element else { throw wrongType("\(key)[\(index)]", "objet", element) }
            result.append(Params(members: members, prefix: name("\(key)[\(index)]") + "."))
        }
        return result
    }

    /// The first of `keys` present, as a string.
    func firstString(_ keys: String...) throws(Reply) -> String? {
        for key in keys { if let text = try string(key) { return text } }
        return nil
    }

    /// The first of `keys` present, as an integer.
    func firstInt(_ keys: String...) throws(Reply) -> Int64? {
        for key in keys { if let number = try int(key) { return number } }
        return nil
    }

    /// The first of `keys` present, as an object.
    func firstObject(_ keys: String...) throws(Reply) -> Params? {
        for key in keys { if let object = try object(key) { return object } }
        return nil
    }

    /// The integer member `field` of each object of the array `key`.
    func ints(in key: String, _ field: String) throws(Reply) -> [Int64] {
        var result: [Int64] = []
        for element in try objects(key) { if let number = try element.int(field) { result.append(number) } }
        return result
    }

    /// A string that must be one of `allowed`.
    func enumeration(_ key: String, _ allowed: [String]) throws(Reply) -> String? {
        guard let text = try string(key) else { return nil }
        guard allowed.contains(text) else {
            throw Reply.invalid(
                "La valeur '\(text)' du paramètre '\(name(key))' n'est pas autorisée. Valeurs possibles : "
                    + allowed.joined(separator: ", ") + ".")
        }
        return text
    }

    /// A list of strings each in `allowed`; a single string is accepted as a one-element list.
    func enumerations(_ key: String, _ allowed: [String]) throws(Reply) -> [String] {
        guard let value = value(key) else { return [] }
        let elements: [JSONValue]
        if case .string = value { elements = [value] } else { elements = try array(key) ?? [] }
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw wrongType(key, "chaîne", element) }
            guard allowed.contains(text) else {
                throw Reply.invalid("La valeur '\(text)' du paramètre '\(name(key))' n'est pas autorisée.")
            }
            result.append(text)
        }
        return result
    }
}

/// The page a search asks for, and the `parametresRetour` of the answer.
struct Page {
    var number: Int
    var size: Int

    /// The platform declares both paging members `int32`; larger values are refused like any ill-typed member.
    static let bounds: ClosedRange<Int64> = 1...Int64(Int32.max)

    /// Reads `pageResultatDemandee` and `nbResultatsParPage` from the pagination object, if any.
    init(_ params: Params?, defaultSize: Int = 10) throws(Reply) {
        let number = try params?.int("pageResultatDemandee") ?? 1
        let size = try params?.int("nbResultatsParPage") ?? Int64(defaultSize)
        for (key, value) in [("pageResultatDemandee", number), ("nbResultatsParPage", size)] {
            if value < 1 { throw Reply.invalid("Le paramètre '\(key)' doit être supérieur ou égal à 1.") }
            if value > Self.bounds.upperBound {
                throw Reply.invalid(
                    "Le paramètre '\(key)' n'est pas valide : entier inférieur ou égal à \(Int32.max) attendu, "
                        + "\(value) reçu.")
            }
        }
        self.number = Int(number)
        self.size = Int(size)
        if let order = try params?.string("triSens"), !["Ascendant", "Descendant"].contains(order) {
            throw Reply.invalid(
                "La valeur '\(order)' du paramètre 'triSens' n'est pas autorisée. Valeurs possibles : Ascendant, Descendant."
            )
        }
    }

    /// The elements of this page (empty past the last one; checked arithmetic, whatever the bounds).
    func slice<T>(_ items: [T]) -> [T] {
        let (skipped, overflow) = (number - 1).multipliedReportingOverflow(by: size)
        guard !overflow, skipped < items.count else { return [] }
        return Array(items[skipped..<(skipped + min(size, items.count - skipped))])
    }

    /// The four pagination keys for `total` results.
    func keys(total: Int) -> [String: JSONValue] {
        [
            "pageCourante": .integer(Int64(number)), "nbResultatsParPage": .integer(Int64(size)),
            "pages": .integer(Int64(total / size + (total % size == 0 ? 0 : 1))), "total": .integer(Int64(total)),
        ]
    }

    /// `parametresRetour` for `total` results.
    func parametresRetour(total: Int) -> JSONValue { .object(keys(total: total)) }
}
