import ChorusAPI
import ChorusLua
import ChorusTestSupport
import Foundation
import JSONValue
import Logging
import LuaRuntime

/// Runs Lua against a client whose transport answers from a table of operation paths, and keeps
/// the requests it sent.
struct Harness {
    let transport: FakeTransport
    let folder: URL

    /// - Parameter answers: path suffix (e.g. "/deposer/flux") → function from request JSON to answer.
    init(_ answers: [String: @Sendable (JSONValue) -> (Int, String)]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-lua-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        transport = FakeTransport.piste { request in
            let body = (try? JSONValue.parse(request.body)) ?? .object([:])
            for (suffix, answer) in answers where request.url.path.hasSuffix(suffix) {
                let (status, text) = answer(body)
                return .success(.json(status, text))
            }
            return .success(.json(404, ""))
        }
    }

    func write(_ name: String, _ content: String) throws {
        try content.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func run(_ source: String) async -> LuaTestRun {
        let configuration = ClientConfiguration(
            environment: ChorusEnvironment(name: .sandbox, endpoints: .sandbox),
            application: .present(ApplicationCredentials(clientId: "client-id", clientSecret: "client-secret")),
            technicalAccount: .present(TechnicalAccount(login: "TECH_1_12345678200051@cpro.fr", password: "tech-password")),
            timeout: 30, retry: RetryPolicy(maxAttempts: 1))
        let client = ChorusClient(
            configuration: configuration, transport: transport, clock: ManualClock(), jitter: FixedJitter(0.5),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let context = ChorusLuaContext(clients: ClientProvider(client: client), files: FilePolicy(roots: [folder.path]))
        let root = folder.path
        return await LuaTestRun.run(source, chunkName: "test.lua", options: { $0.moduleRoot = root }, libraries: ChorusModule.libraries(context))
    }

    /// The JSON bodies sent to paths ending with `suffix`, in order.
    func sent(_ suffix: String) -> [JSONValue] {
        transport.apiRequests.filter { $0.url.path.hasSuffix(suffix) }.map { (try? JSONValue.parse($0.body)) ?? .null }
    }
}

let ublInvoice = """
    <?xml version="1.0" encoding="UTF-8"?>
    <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>F-1</ID></Invoice>
    """
