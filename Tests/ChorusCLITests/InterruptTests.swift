import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// SIGINT and SIGTERM sent to real `chorus deposit` and `chorus run` processes while their deposits are
/// in flight, against a `chorus sim` process whose deposits answer slowly (a latency fault): in-flight
/// deposits finish or are marked `uncertain`, the ledger is never left inconsistent, a second signal
/// stops at once and still loses nothing. Each drill ends the same way: after `chorus ledger reconcile`
/// and a rerun of the same command, the simulator holds every invoice exactly once (from its state and
/// its request log) and the ledger agrees. The assertions are on states, never on durations: the
/// process is signalled once the ledger shows its deposits reserved.
@Suite(.serialized) struct InterruptTests {
    @Test func aFirstSigtermLetsChorusDepositFinishWhatIsInFlightAndStartNothingElse() async throws {
        let drill = try await DepositDrill.slow(latencyMs: 8000)
        let deposit = try ChorusProcess(
            ["deposit", drill.invoices.path, "--concurrency", "2"], environment: drill.environment)
        // Signalled from a thread of its own once both first deposits are in flight (reserved).
        #expect(await deposit.send(SIGTERM, when: { drill.entries(.reserved).count == 2 }))
        let end = await deposit.wait()
        #expect(end.status == 130 && end.signal == nil, "\(deposit.stdout)\n\(deposit.stderr)")
        #expect(deposit.stderr.contains("chorus: interrupted: finishing the deposits in flight, starting no other"))
        // What was in flight finished and was recorded; nothing else was started or reserved.
        let rows = try await drill.rows()
        let sent = rows.compactMap { $0["invoice_number"]?.stringValue }
        #expect(!sent.isEmpty && sent.count < drill.count, "\(rows)")
        #expect(rows.allSatisfy { $0["state"] == "sent" }, "\(rows)")
        #expect(try await drill.deposits() == sent.count)
        #expect(try await drill.invoicesOnThePlatform() == Dictionary(uniqueKeysWithValues: sent.map { ($0, 1) }))
        let pending = drill.count - sent.count
        let totals = [("pending", pending), ("sent", sent.count)].map { "\($0.1) \($0.0)" }.joined(separator: ", ")
        #expect(deposit.stdout.hasSuffix("\(drill.count) file(s): \(totals)\n"), "\(deposit.stdout)")

        // The same command again sends the rest, and refuses what was sent.
        let rerun = try await ChorusSubprocess.run(["deposit", drill.invoices.path], environment: drill.environment)
        #expect(rerun.status == 9, "\(rerun.stdout)\n\(rerun.stderr)")
        #expect(rerun.stdout.hasSuffix("\(drill.count) file(s): \(sent.count) refused, \(pending) sent\n"), "\(rerun.stdout)")
        try await drill.expectEachInvoiceOnce()
        await drill.finish()
    }

    @Test func aSecondSigintStopsChorusDepositAtOnceAndReconciliationLosesNothing() async throws {
        let drill = try await DepositDrill.slow(latencyMs: 8000)
        let deposit = try ChorusProcess(
            ["deposit", drill.invoices.path, "--concurrency", "2"], environment: drill.environment)
        // Signalled from a thread of its own once both first deposits are in flight (reserved).
        #expect(await deposit.send(SIGINT, when: { drill.entries(.reserved).count == 2 }))
        #expect(await ChorusProcess.eventually { deposit.stderr.contains("chorus: interrupted") })
        deposit.send(SIGINT)
        let end = await deposit.wait()
        #expect(end.status == 130 && end.signal == nil, "\(deposit.stderr)")
        // It did not wait for the answers: the rows in flight are still reserved (on disk before their
        // requests left), and no summary was printed.
        #expect(try await drill.rows().map { $0["state"] } == ["reserved", "reserved"])
        #expect(deposit.stdout == "")

        // The simulator stores both; reconciliation finds them (the process that reserved them is gone).
        #expect(try await ChorusProcess.eventually { try await drill.deposits() == 2 })
        let reconcile = try await ChorusSubprocess.run(["ledger", "reconcile"], environment: drill.environment)
        #expect(reconcile.status == 0, "\(reconcile.stdout)\n\(reconcile.stderr)")
        let found = reconcile.stdout.split(separator: "\n").filter {
            $0.split(separator: " ").joined(separator: " ").contains(" reserved sent found CPP")
        }
        #expect(found.count == 2, "\(reconcile.stdout)")
        #expect(try await drill.rows().allSatisfy { $0["state"] == "sent" })

        let rerun = try await ChorusSubprocess.run(["deposit", drill.invoices.path], environment: drill.environment)
        #expect(rerun.status == 9, "\(rerun.stdout)\n\(rerun.stderr)")
        #expect(rerun.stdout.hasSuffix("\(drill.count) file(s): 2 refused, 4 sent\n"), "\(rerun.stdout)")
        try await drill.expectEachInvoiceOnce()
        await drill.finish()
    }

    /// A script depositing the folder's invoices two at a time; it prints each file's outcome.
    static let script = """
        local dir = arg[1]
        local names = chorus.fs.list(dir)
        table.sort(names)
        local jobs = {}
        for i, name in ipairs(names) do
          jobs[i] = function() return chorus.invoices.deposit{ file = dir .. "/" .. name } end
        end
        local _, errors = chorus.all(jobs, { settle = true, limit = 2 })
        for i, name in ipairs(names) do print(name, errors[i] and errors[i].code or "sent") end
        """

    func runScript(_ drill: DepositDrill) throws -> ChorusProcess {
        let script = drill.home.appendingPathComponent("deposit.lua")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        return try ChorusProcess(
            ["run", script.path, drill.invoices.path], environment: drill.environment, directory: drill.home)
    }

    @Test func aFirstSigintCancelsAScriptAndItsDepositsInFlightAreUncertainNotLost() async throws {
        let drill = try await DepositDrill.slow(latencyMs: 8000)
        let run = try runScript(drill)
        // Signalled from a thread of its own once both first deposits are in flight (reserved).
        #expect(await run.send(SIGINT, when: { drill.entries(.reserved).count == 2 }))
        let end = await run.wait()
        #expect(end.status == 130 && end.signal == nil, "\(run.stderr)")
        #expect(run.stderr.contains("\nchorus: interrupted, stopping the run"), "\(run.stderr)")
        // The two deposits in flight lost their answer: uncertain, never reserved, sent twice or forgotten.
        let rows = try await drill.rows()
        #expect(rows.map { $0["state"] } == ["uncertain", "uncertain"], "\(rows)")

        #expect(try await drill.reconcileUntilSettled())
        let rerun = try runScript(drill)
        let again = await rerun.wait()
        #expect(again.status == 0, "\(rerun.stdout)\n\(rerun.stderr)")
        try await drill.expectEachInvoiceOnce("\(rerun.stdout)")
        await drill.finish()
    }

    @Test func aSecondSigintStopsAScriptAtOnceAndReconciliationLosesNothing() async throws {
        let drill = try await DepositDrill.slow(latencyMs: 8000)
        let run = try runScript(drill)
        // Signalled from a thread of its own once both first deposits are in flight (reserved).
        #expect(await run.send(SIGINT, when: { drill.entries(.reserved).count == 2 }))
        #expect(await ChorusProcess.eventually { run.stderr.contains("chorus: interrupted") })
        run.send(SIGINT)
        let end = await run.wait()
        #expect(end.status == 130 && end.signal == nil, "\(run.stderr)")
        // Whether the cancellation reached the rows before the exit or not, each is in doubt, none lost.
        let states = try await drill.rows().compactMap { $0["state"]?.stringValue }
        #expect(states.count == 2 && states.allSatisfy { $0 == "uncertain" || $0 == "reserved" }, "\(states)")

        #expect(try await drill.reconcileUntilSettled())
        let rerun = try runScript(drill)
        let again = await rerun.wait()
        #expect(again.status == 0, "\(rerun.stdout)\n\(rerun.stderr)")
        try await drill.expectEachInvoiceOnce("\(rerun.stdout)")
        await drill.finish()
    }
}
