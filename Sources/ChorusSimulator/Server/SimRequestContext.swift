import Hummingbird
import Logging
import NIOCore

/// The request context of the simulator: Hummingbird's core context plus the channel, so the control
/// API can check the peer is on loopback and the reset fault can drop the connection.
struct SimRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Whether the peer connects from a loopback address.
    var peerIsLoopback: Bool {
        guard let address = channel.remoteAddress else { return false }
        switch address {
        case .v4:
            return address.ipAddress?.hasPrefix("127.") ?? false
        case .v6:
            let ip = address.ipAddress ?? ""
            return ip == "::1" || ip.hasPrefix("::ffff:127.")
        case .unixDomainSocket:
            return true
        }
    }
}
