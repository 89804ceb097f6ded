/// One element of a parsed XML document, reduced to what reading an invoice needs: the local name
/// (namespace prefixes dropped, since UBL and CII files use varying prefixes), attributes, children and text.
public struct XMLElementNode: Sendable, Equatable {
    /// Local name, e.g. `ID` for `cbc:ID`.
    public var name: String
    /// Attributes by local name.
    public var attributes: [String: String]
    /// Child elements in document order.
    public var children: [XMLElementNode]
    /// The concatenated character data directly inside this element, trimmed.
    public var text: String
    /// The line (1-based) of the element's start tag in the file; 0 when unknown.
    public var line: Int = 0

    /// The first direct child named `name`.
    public func child(_ name: String) -> XMLElementNode? {
        children.first { $0.name == name }
    }

    /// The element reached by following direct children along `path`.
    public func at(_ path: String...) -> XMLElementNode? {
        at(path)
    }

    /// The element reached by following direct children along `path`.
    public func at(_ path: [String]) -> XMLElementNode? {
        var node = self
        for step in path {
            guard let next = node.child(step) else { return nil }
            node = next
        }
        return node
    }

    /// The non-empty text of the element at `path`, if any.
    public func text(_ path: String...) -> String? {
        guard let value = at(path)?.text, !value.isEmpty else { return nil }
        return value
    }

    /// The first descendant (depth-first, document order) named `name`.
    public func descendant(_ name: String) -> XMLElementNode? {
        for child in children {
            if child.name == name { return child }
            if let found = child.descendant(name) { return found }
        }
        return nil
    }
}
