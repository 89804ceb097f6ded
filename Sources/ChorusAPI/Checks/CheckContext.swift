import Foundation

/// What a recipient structure requires of the invoices it receives, as Chorus Pro's directory says
/// (`consulterStructure` `parametres`, its services, its engagements).
public struct RecipientInfo: Sendable, Equatable {
    /// A service of the recipient.
    public struct ServiceInfo: Sendable, Equatable {
        public var active: Bool
        /// The service needs an engagement juridique on invoices.
        public var engagementRequired: Bool
        public init(active: Bool, engagementRequired: Bool = false) {
            self.active = active
            self.engagementRequired = engagementRequired
        }
    }

    public var siret: String
    public var active: Bool
    /// `codeServiceDoitEtreRenseigne`.
    public var serviceRequired: Bool
    /// `numeroEJDoitEtreRenseigne`.
    public var engagementRequired: Bool
    /// `gestionNumeroEJOuCodeService`: one of the two is enough.
    public var serviceOrEngagement: Bool
    /// Chorus Pro holds the recipient's engagements (State recipients), so a number must exist there.
    public var managesEngagements: Bool
    /// Services by code; nil when they were not looked up (then no service rule applies).
    public var services: [String: ServiceInfo]?
    /// Engagement numbers known for the recipient; nil when not looked up.
    public var engagements: Set<String>?

    public init(
        siret: String, active: Bool = true, serviceRequired: Bool = false, engagementRequired: Bool = false,
        serviceOrEngagement: Bool = false, managesEngagements: Bool = false, services: [String: ServiceInfo]? = nil,
        engagements: Set<String>? = nil
    ) {
        self.siret = siret
        self.active = active
        self.serviceRequired = serviceRequired
        self.engagementRequired = engagementRequired
        self.serviceOrEngagement = serviceOrEngagement
        self.managesEngagements = managesEngagements
        self.services = services
        self.engagements = engagements
    }
}

/// What is known of the supplier named in the invoice.
public struct SupplierInfo: Sendable, Equatable {
    /// The supplier is referenced in this environment.
    public var known: Bool
    /// A private company (`structurePriveePublique` PRIVEE); nil when unknown.
    public var isPrivate: Bool?
    /// The depositing technical account is attached to it; nil when unknown (only the platform knows).
    public var attached: Bool?
    public init(known: Bool, isPrivate: Bool? = nil, attached: Bool? = nil) {
        self.known = known
        self.isPrivate = isPrivate
        self.attached = attached
    }
}

/// Where the recipient rules take their facts: Chorus Pro through a client, or the simulator's state. The
/// rules themselves never call the network; the checker asks this once per invoice before running them.
public protocol RecipientLookup: Sendable {
    /// The recipient with this SIRET (its services and engagements as far as the invoice names them), or nil
    /// when it is not referenced in this environment.
    func recipient(siret: String, serviceCode: String?, engagement: String?) async throws(ChorusError)
        -> RecipientInfo?
    /// The supplier with this SIRET, or nil when the lookup cannot tell.
    func supplier(siret: String) async throws(ChorusError) -> SupplierInfo?
}

/// Everything the rules read about one file.
public struct CheckContext: Sendable {
    /// The recipient as looked up.
    public enum Recipient: Sendable, Equatable {
        /// Not looked up (`--offline`): the recipient rules are skipped.
        case skipped
        /// Not referenced in this environment.
        case unknown
        case known(RecipientInfo)
    }

    /// The file name (deposited as `nomFichier`).
    public var fileName: String
    /// The file's size in bytes.
    public var size: Int
    /// The root element of the invoice XML (inside the PDF for Factur-X); nil when it is not XML.
    public var root: XMLElementNode?
    /// The invoice read from it; nil when the file is not a recognised invoice.
    public var document: InvoiceDocument?
    /// The file is XML (or a PDF) that failed to parse, as opposed to something else entirely.
    public var looksLikeXML: Bool
    /// The `syntaxeFlux` it is deposited with, when given.
    public var declaredSyntax: String?
    /// The deposit day (`YYYY-MM-DD`, Paris).
    public var today: String
    public var recipient: Recipient
    public var supplier: SupplierInfo?

    /// The format of the invoice, when recognised.
    public var format: InvoiceDocument.Format? { document?.format }

    /// The element at `path` (slash-separated, from the root), and the line of it or of its closest parent.
    func element(_ path: String) -> (node: XMLElementNode?, line: Int?) {
        guard var node = root else { return (nil, nil) }
        let found = Self.forEachStep(path) { step in
            guard let next = node.children.first(where: { $0.name == step }) else { return false }
            node = next
            return true
        }
        return (found ? node : nil, node.line == 0 ? nil : node.line)
    }

    /// Calls `body` with each non-empty step of a slash-separated path, as `path.split(separator: "/")`
    /// gives them, while it returns true; false when it stopped. The rules' paths are ASCII, split here on
    /// bytes without building an array: splitting on characters was 13 % of the simulator's time per
    /// deposit. (A path with other characters takes the character split.)
    static func forEachStep(_ path: String, _ body: (Substring) -> Bool) -> Bool {
        let isASCII = path.utf8.withContiguousStorageIfAvailable { !$0.contains(where: { $0 >= 0x80 }) } ?? false
        guard isASCII else {
            for step in path.split(separator: "/") where !body(step) { return false }
            return true
        }
        let utf8 = path.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "/") {
                if start != index, !body(path[start..<index]) { return false }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != utf8.endIndex { return body(path[start...]) }
        return true
    }

    /// The non-empty steps of a slash-separated path (``forEachStep(_:_:)``).
    static func steps(_ path: String) -> [Substring] {
        var steps: [Substring] = []
        _ = forEachStep(path) { step in
            steps.append(step)
            return true
        }
        return steps
    }

    /// The element's text for the rule's path in this format (nil when absent or empty).
    func text(_ rule: (ubl: String, cii: String)) -> String? {
        guard let format else { return nil }
        let value = element(format == .ubl ? rule.ubl : rule.cii).node?.text
        return value?.isEmpty == false ? value : nil
    }

    /// The line of the element for this rule in this format (or of its closest parent).
    func line(_ rule: (ubl: String, cii: String)) -> Int? {
        guard let format else { return nil }
        return element(format == .ubl ? rule.ubl : rule.cii).line
    }
}

extension CheckContext {
    /// The elements the live and platform rules read (the parties, the service, the engagement).
    static let livePaths = [
        CheckRules.Path.supplier, CheckRules.Path.recipient, CheckRules.Path.service, CheckRules.Path.engagement,
    ]

    /// This context with only the elements the live and platform rules read (and their lines): what the
    /// simulator keeps of a file between reading it and processing it, instead of its whole XML tree.
    public func prunedForLiveRules() -> CheckContext {
        guard let root, let format else { return self }
        var kept = XMLElementNode(name: root.name, attributes: [:], children: [], text: "", line: root.line)
        for paths in Self.livePaths {
            let steps = Self.steps(format == .ubl ? paths.ubl : paths.cii).map(String.init)
            kept.graft(steps, from: root)
        }
        var copy = self
        copy.root = kept
        return copy
    }
}

extension XMLElementNode {
    /// Copies the chain of first children along `steps` from `source` into self (text only at the end).
    fileprivate mutating func graft(_ steps: [String], from source: XMLElementNode) {
        guard let step = steps.first, let next = source.child(step) else { return }
        let rest = Array(steps.dropFirst())
        if let index = children.firstIndex(where: { $0.name == step }) {
            children[index].graft(rest, from: next)
            return
        }
        var copy = XMLElementNode(
            name: next.name, attributes: [:], children: [], text: rest.isEmpty ? next.text : "", line: next.line)
        copy.graft(rest, from: next)
        children.append(copy)
    }
}

extension CheckContext {
    /// A hit on the element at `paths` in this file's format, with its line.
    func hit(_ paths: XMLPaths, _ values: [String: String] = [:]) -> CheckHit {
        let path = format == .ubl ? paths.ubl : paths.cii
        return CheckHit(values, path: path, tag: path.replacingASCII("/", with: "."), line: element(path).line)
    }

    /// Every element at `path`, following every child of each name on the way (a UBL invoice may carry
    /// several PaymentMeans), with their lines.
    func elements(_ path: String) -> [XMLElementNode] {
        guard let root else { return [] }
        var nodes = [root]
        _ = Self.forEachStep(path) { step in
            nodes = nodes.flatMap { $0.children.filter { $0.name == step } }
            return true
        }
        return nodes
    }
}
