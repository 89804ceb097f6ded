import ChorusAPI
import ChorusLedger
import ChorusLua
import ChorusTestSupport
import Foundation
import HostCore
import Logging
import Testing

/// examples/plugins/invoice-sync run by the scheduler itself, on a virtual clock, against the
/// simulator: the workflow runs at its times (every 10 minutes), and each run files what is new.
@Suite struct InvoiceSyncScheduleTests {
    @Test func theSchedulerRunsTheExampleAtItsTimes() async throws {
        let (launcher, client, session) = try await InvoiceSyncTests.simulator()
        _ = launcher
        let fixture = PluginFixture()
        let inbox = fixture.root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let samples = InvoiceSyncTests.examples.appendingPathComponent("invoices")
        try FileManager.default.copyItem(at: samples.appendingPathComponent("cii-invoice.xml"), to: inbox.appendingPathComponent("cii-invoice.xml"))
        let host = InvoiceSyncTests.exampleHost(client: client, fixture: fixture)
        #expect(await host.command("invoice-sync", "configure", ["inbox": .string(inbox.path)]).error == nil)

        // 10:05 UTC: the next run of `every 10m` is at 10:10.
        let clock = VirtualClock(start: ISO8601DateFormatter().date(from: "2026-06-01T10:05:00Z")!)
        let store = try RunStore(path: fixture.root.appendingPathComponent("schedule.sqlite").path)
        var logger = Logger(label: "test.schedule")
        logger.logLevel = .critical
        let scheduler = Scheduler(
            runner: host, store: store, lockDirectory: fixture.root.appendingPathComponent("locks"), clock: clock,
            logger: logger)
        let daemon = Task { try await scheduler.run() }
        func runs() -> [RunRecord] { ((try? store.runs(workflow: nil, limit: 100)) ?? []).reversed() }

        #expect(await clock.untilSleeping())
        #expect(clock.nextDeadline.map { ISO8601DateFormatter().string(from: $0) } == "2026-06-01T10:10:00Z")
        #expect(runs().isEmpty)
        clock.advance(by: 300)
        #expect(await VirtualClock.eventually { runs().count == 1 && runs()[0].status == .succeeded })
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("done/cii-invoice.xml").path))
        #expect(runs()[0].log.contains("info: cii-invoice.xml: done"))

        // A new file, and the next run ten minutes later files it; nothing is sent twice.
        try FileManager.default.copyItem(at: samples.appendingPathComponent("ubl-invoice.xml"), to: inbox.appendingPathComponent("ubl-invoice.xml"))
        #expect(await clock.untilSleeping())
        clock.advance(by: 600)
        #expect(await VirtualClock.eventually { runs().count == 2 && runs()[1].status == .succeeded })
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("done/ubl-invoice.xml").path))
        #expect(try await InvoiceSyncTests.operations(session).filter { $0 == "factures.deposerFluxFacture" }.count == 2)

        scheduler.beginShutdown()
        try await daemon.value
    }
}
