import Foundation

/// One HTTP header line; kept as an ordered list because order and duplicates matter on the wire.
public struct HTTPHeader: Sendable, Hashable {
    /// Header name, compared case-insensitively.
    public var name: String
    /// Header value.
    public var value: String
    /// A header line.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTPHeader {
    /// The first value of header `name`, compared case-insensitively.
    public subscript(header name: String) -> String? {
        first { HTTPHeader.sameName($0.name, name) }?.value
    }
}

extension HTTPHeader {
    /// Whether two header names are equal ignoring case (`caseInsensitiveCompare`). Names are ASCII
    /// in practice and are compared byte by byte then; Foundation's comparison, a bridged string on
    /// Linux, decides for any other text.
    static func sameName(_ a: String, _ b: String) -> Bool {
        let ascii: Bool? = a.utf8.withContiguousStorageIfAvailable { x -> Bool? in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool? in
                if x.contains(where: { $0 >= 0x80 }) || y.contains(where: { $0 >= 0x80 }) { return nil }
                guard x.count == y.count else { return false }
                for i in 0..<x.count where x[i] != y[i] {
                    func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
                    if lower(x[i]) != lower(y[i]) { return false }
                }
                return true
            } ?? nil
        } ?? nil
        if let ascii { return ascii }
        return a.caseInsensitiveCompare(b) == .orderedSame
    }
}

/// A request body produced piece by piece as the connection sends it (a deposit's file, encoded to
/// base64 as it goes), so a large body never exists whole in memory.
public protocol StreamedBody: Sendable {
    /// The body's length in bytes.
    var count: Int { get }
    /// Writes the bytes `offset ..< offset + buffer.count` of the body into `buffer`.
    func write(from offset: Int, into buffer: UnsafeMutableRawBufferPointer)
}

extension StreamedBody {
    /// The whole body at once (for tests and trace logs; the transport never asks for it).
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            write(from: 0, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }
}

/// A request as the client hands it to a transport.
public struct HTTPRequest: Sendable, Hashable {
    /// `GET` or `POST`.
    public var method: String
    /// Full URL.
    public var url: URL
    /// Header lines in order.
    public var headers: [HTTPHeader]
    /// Body bytes (empty for GET); a streamed body is produced whole when read here.
    public var body: [UInt8] {
        get { streamed?.bytes ?? storedBody }
        set {
            storedBody = newValue
            streamed = nil
        }
    }
    /// The body when it is produced as it is sent (a deposit); nil for a body held in `body`.
    public private(set) var streamed: (any StreamedBody)?
    private var storedBody: [UInt8]

    /// A request.
    public init(method: String, url: URL, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.storedBody = body
    }

    /// A request whose body is produced as it is sent.
    public init(method: String, url: URL, headers: [HTTPHeader] = [], streamed: any StreamedBody) {
        self.init(method: method, url: url, headers: headers)
        self.streamed = streamed
    }

    /// The body's length, without producing a streamed body.
    public var bodyCount: Int { streamed?.count ?? storedBody.count }

    /// The body as UTF-8 text (for tests and logs).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.headers == b.headers && a.body == b.body
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(url)
        hasher.combine(headers)
        hasher.combine(body)
    }
}

/// A response as a transport hands it back.
public struct HTTPResponse: Sendable, Hashable {
    /// HTTP status.
    public var status: Int
    /// Header lines in order.
    public var headers: [HTTPHeader]
    /// Body bytes.
    public var body: [UInt8]

    /// A response.
    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a JSON body and the matching Content-Type.
    public static func json(_ status: Int, _ text: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [HTTPHeader("Content-Type", "application/json;charset=utf-8")] + headers,
            body: Array(text.utf8))
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Why a request got no HTTP response at all.
public struct TransportFailure: Error, Sendable, Equatable {
    /// The class of failure, which decides the error code and remediation.
    ///
    /// For a write, what matters is whether the request may have left: `dnsFailure`, `tlsFailure`,
    /// `connectTimeout` and `connectionRefused` happen before a byte of the request is written;
    /// `readTimeout`, `connectionFailed` (reset or closed while the request was being sent or answered),
    /// `cancelled` and `other` may happen after the server received it.
    public enum Kind: String, Sendable {
        case dnsFailure, tlsFailure, connectTimeout, connectionRefused, readTimeout, connectionFailed, cancelled, other

        /// Whether the request certainly never reached the server (so a write can safely be sent again).
        public var requestNeverSent: Bool {
            switch self {
            case .dnsFailure, .tlsFailure, .connectTimeout, .connectionRefused: return true
            case .readTimeout, .connectionFailed, .cancelled, .other: return false
            }
        }
    }
    /// The class of failure.
    public var kind: Kind
    /// What the underlying library said, without request data.
    public var detail: String

    /// A failure of `kind` with what the library said.
    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }
}

/// Sends HTTP requests. The client only talks to PISTE through this, so tests can record and script it.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response, or throws why no response came.
    /// - Parameter timeout: the read timeout for this request, in seconds.
    func send(_ request: HTTPRequest, timeout: Double) async throws(TransportFailure) -> HTTPResponse
    /// Releases connections; the transport is unusable afterwards.
    func shutdown() async
}

extension HTTPTransport {
    public func shutdown() async {}
}

extension URL {
    /// The port a connection to this URL uses: the explicit one, else the scheme's default.
    var connectionPort: Int { port ?? (scheme == "https" ? 443 : 80) }
}
