import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain TCP exchange with the simulator, for what an HTTP client library will not send (HTTP/1.0, no
/// `Host`, a body held back behind `Expect: 100-continue`).
struct RawHTTP: Sendable {
    let fd: Int32

    /// Connects to 127.0.0.1 on the port of `base` (`http://127.0.0.1:PORT`); reads wait at most `timeout` s.
    init(base: String, timeout: Int = 20) throws {
        guard let port = UInt16(base.split(separator: ":").last ?? "") else { throw POSIXError(.EINVAL) }
        #if canImport(Glibc)
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc_send(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            sent += count
        }
    }

    /// `receive` on a thread of its own: a blocking read on one of the few threads of Swift's
    /// cooperative pool would starve the simulator that must answer it.
    func received(until predicate: @escaping @Sendable (String) -> Bool = { _ in false }) async -> (
        text: String, closed: Bool
    ) {
        await withCheckedContinuation { continuation in
            let socket = self
            Thread { continuation.resume(returning: socket.receive(until: predicate)) }.start()
        }
    }

    /// Reads until `predicate` holds on what arrived, the peer closes, or the timeout passes; `closed`
    /// says whether the peer closed the connection.
    func receive(until predicate: (String) -> Bool = { _ in false }) -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
            // Signals of other tests' subprocesses interrupt the read: read again.
            if count < 0, errno == EINTR { continue }
            if count < 0 { return (String(decoding: received, as: UTF8.self), false) }
            received += buffer[0..<count]
            if predicate(String(decoding: received, as: UTF8.self)) { return (String(decoding: received, as: UTF8.self), false) }
        }
    }

    func finish() { close(fd) }
}

private func Glibc_send(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
    #else
        return Darwin.send(fd, pointer, count, 0)
    #endif
}
