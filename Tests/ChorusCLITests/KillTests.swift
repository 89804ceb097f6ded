import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// The kill test, reduced (the full one is bench/kill-test.sh, 200 files, in ./scripts/bench): 30
/// invoices deposited by `chorus deposit` to a `chorus sim --state` process with faults on (10 % 503,
/// 5 % connection reset after processing, latency), the deposit killed with SIGKILL at random points
/// three times and restarted with the same command until the ledger has every invoice sent. Passes when
/// the simulator holds each invoice exactly once (its state and its request log) and every ledger row
/// names the flux the simulator has for it.
@Suite(.serialized) struct KillTests {
    @Test func depositsKilledAtRandomPointsAndRestartedReachThePlatformOnceEach() async throws {
        let drill = try await DepositDrill(
            count: 30, prefix: "KT", settle: 3,
            scenario: """
                [settings]
                processing_delay = 0.5
                routing_delay = 0.5

                [[faults]]
                operation = "deposerFluxFacture"
                error_rate = 0.10
                status = 503
                latency_ms = 500

                [[faults]]
                operation = "deposerFluxFacture"
                reset_rate = 0.05
                """)
        // Deposits answered after 500 ms, four at a time: a run lasts a few seconds, long enough for the
        // kill to land mid-run however loaded the machine.
        let command = ["deposit", "-q", drill.invoices.path, "--concurrency", "4"]
        var kills = 0
        var rounds: [String] = []
        for _ in 1...3 {
            // A random point: once the simulator has answered 1 to 6 more deposit requests.
            let target = try await drill.depositRequests() + Int.random(in: 1...6)
            let run = try ChorusProcess(command, environment: drill.environment)
            if await run.send(SIGKILL, when: { drill.depositRequestsNow() >= target }) { kills += 1 }
            let end = await run.wait()
            rounds.append("target \(target), exit \(end.status) signal \(end.signal ?? 0): \(run.stderr.suffix(300))")
        }
        #expect(kills >= 1, "\(rounds)")
        // The same command until every invoice is sent: one deposited by an earlier run is refused (exit 9),
        // an uncertain one waits for the settle window before reconciliation allows a resend.
        let settled = try await ChorusProcess.eventually(deadline: 120) {
            _ = try await ChorusSubprocess.run(command, environment: drill.environment)
            let rows = try await drill.rows()
            return rows.count == drill.count && rows.allSatisfy { $0["state"] == "sent" }
        }
        #expect(settled)
        // The simulator creates an invoice when it has processed its flux.
        #expect(try await ChorusProcess.eventually { try await drill.invoicesOnThePlatform().count == drill.count })
        try await drill.expectEachInvoiceOnce()
        await drill.finish()
    }
}
