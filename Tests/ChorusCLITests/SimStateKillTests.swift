import ChorusTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `chorus sim --state FILE` killed with SIGKILL in the middle of a deposit load keeps every deposit it
/// acknowledged: each change is committed to the file before the answer leaves.
@Suite struct SimStateKillTests {
    @Test func killedMidLoadKeepsEveryAcknowledgedDeposit() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("sim.state").path
        let template = try String(
            contentsOf: ChorusSubprocess.packageRoot.appendingPathComponent("examples/invoices/ubl-invoice.xml"),
            encoding: .utf8)

        let first = try SimProcess(state: state, home: folder)
        let token = try await first.token()
        let acknowledged = Acknowledged()
        // Eight clients deposit without pause; the simulator is killed once 40 deposits are acknowledged,
        // with requests in flight.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<8 {
                group.addTask {
                    for n in 0..<1000 {
                        let xml = template.replacingOccurrences(of: "FA-UBL-2026-0001", with: "KILL-\(client)-\(n)")
                        guard let number = try? await first.deposit(xml, token: token) else { return }
                        await acknowledged.add(number)
                    }
                }
            }
            while await acknowledged.count < 40 { try await Task.sleep(nanoseconds: 5_000_000) }
            first.kill()
            try await group.waitForAll()
        }
        let numbers = await acknowledged.numbers
        #expect(numbers.count >= 40)

        let second = try SimProcess(state: state, home: folder)
        defer { second.kill() }
        // The token issued before the kill is kept too.
        var missing: [String] = []
        for number in numbers {
            let report = try await second.post(
                "/cpro/transverses/v1/consulterCRDetaille", #"{"numeroFluxDepot":"\#(number)"}"#, token: token)
            if report.status != 200 { missing.append("\(number): \(report.status) \(report.text)") }
        }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing)")
    }
}

/// The flux numbers acknowledged so far.
private actor Acknowledged {
    var numbers: [String] = []
    var count: Int { numbers.count }
    func add(_ number: String) { numbers.append(number) }
}

/// A `chorus sim --port 0 --state FILE` process.
private struct SimProcess: @unchecked Sendable {
    let process: Process
    let base: String

    init(state: String, home: URL) throws {
        guard let binary = ChorusSubprocess.binary() else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "chorus is not built"])
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sim", "--port", "0", "--state", state]
        process.environment = ["HOME": home.path, "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line of the banner names the URL.
        var text = ""
        while !text.contains("\n") {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard
            let url = text.split(separator: " ").first(where: { $0.hasPrefix("http://127.0.0.1:") })
        else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no banner: \(text)"])
        }
        self.process = process
        self.base = String(url)
    }

    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    struct Answer {
        var status: Int
        var text: String
    }

    func post(_ path: String, _ body: String, token: String?, contentType: String = "application/json") async throws
        -> Answer
    {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 30
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        if let token {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let account = Data("TECH_1_98765432100015@cpro.fr:Fournisseur-Alpha-2026!".utf8).base64EncodedString()
            request.setValue(account, forHTTPHeaderField: "cpro-account")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(
            status: (response as? HTTPURLResponse)?.statusCode ?? 0, text: String(decoding: data, as: UTF8.self))
    }

    func token() async throws -> String {
        let answer = try await post(
            "/api/oauth/token",
            "grant_type=client_credentials&client_id=5f0c2a3e-5e6b-4c1a-9d7e-0000000051a1"
                + "&client_secret=sim-secret-0f9c4b7e2d",
            token: nil, contentType: "application/x-www-form-urlencoded")
        guard let range = answer.text.range(of: #""access_token":""#),
            let end = answer.text[range.upperBound...].firstIndex(of: "\"")
        else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: answer.text]) }
        return String(answer.text[range.upperBound..<end])
    }

    /// Deposits `xml`; the flux number when the deposit is acknowledged (200), nil otherwise.
    func deposit(_ xml: String, token: String) async throws -> String? {
        let body =
            #"{"fichierFlux":"\#(Data(xml.utf8).base64EncodedString())","nomFichier":"f.xml","#
            + #""syntaxeFlux":"IN_DP_E1_UBL_INVOICE"}"#
        let answer = try await post("/cpro/factures/v1/deposer/flux", body, token: token)
        guard answer.status == 200, let range = answer.text.range(of: #""numeroFluxDepot":""#),
            let end = answer.text[range.upperBound...].firstIndex(of: "\"")
        else { return nil }
        return String(answer.text[range.upperBound..<end])
    }
}
