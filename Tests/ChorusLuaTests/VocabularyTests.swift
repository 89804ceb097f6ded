import ChorusAPI
import ChorusLua
import ChorusTestSupport
import Foundation
import JSONValue
import Testing

/// The Chorus vocabulary and the date rule are defined once, in ChorusAPI; Lua, Swift and the
/// simulator must agree on them.
@Suite struct VocabularyTests {
    /// The same texts, read by `ChorusDate` (Swift, the simulator) and by `chorus.time.parse` (Lua).
    static let dates: [(String, Double?)] = [
        ("2016-10-25 17:42", 1_477_410_120),  // no zone: Paris summer time (UTC+2)
        ("2016-03-18", 1_458_255_600),  // midnight in Paris (UTC+1)
        ("2016-03-18T10:00:00", 1_458_291_600),
        ("2018-02-16T15:10:25.536+01:00", 1_518_790_225.536),
        ("2015-07-03T00:00:00Z", 1_435_881_600),
        ("2015-07-03T00:00:00+0200", 1_435_874_400),
        ("1458255600000", 1_458_255_600),  // epoch milliseconds as text
        ("18/03/2016", nil),
        ("2016-02-30", nil),
        ("2016-03-18T25:00:00", nil),
        ("", nil),
    ]

    @Test func luaAndSwiftReadEveryDateAlike() async throws {
        let h = try Harness([:])
        for (text, _) in Self.dates {
            let swift = ChorusDate.seconds(text)
            let run = await h.run("local ok, t = pcall(chorus.time.parse, '\(text)')\nprint(ok and string.format('%.3f', t) or 'error')")
            let expected = swift.map { String(format: "%.3f", $0) } ?? "error"
            #expect(run.output == expected + "\n", "\(text): Lua \(run.output) \(run.errorMessage), Swift \(expected)")
        }
    }

    @Test func theRuleIsParisTime() {
        for (text, expected) in Self.dates {
            #expect(ChorusDate.seconds(text) == expected, "\(text)")
        }
        // A wall-clock time skipped by the spring change still names one instant (Foundation moves it
        // forward); the rule is only that Lua and Swift agree, which the test above checks.
        #expect(ChorusDate.seconds("2026-03-29 02:30") != nil)
        #expect(ChorusDate.day(Date(timeIntervalSince1970: 1_477_434_600)) == "2016-10-26")  // 00:30 in Paris, 22:30 UTC
        #expect(ChorusDate.timestamp(Date(timeIntervalSince1970: 1_518_790_225.536)) == "2018-02-16T15:10:25.536+01:00")
    }

    @Test func luaDateIsTheParisCalendarDay() async throws {
        let h = try Harness([:])
        let run = await h.run("print(chorus.time.date(1477434600), chorus.time.iso(1477434600))")
        #expect(run.output == "2016-10-26\t2016-10-25T22:30:00Z\n")
    }

    /// Lua refuses exactly what the vocabulary does not list, and offers what it lists.
    @Test func luaOffersTheVocabulary() async throws {
        let h = try Harness([:])
        let run = await h.run(
            """
            print(table.concat(chorus.errors.codes, ","))
            print(chorus.flows.is_final("IN_INTEGRE_PARTIEL"), chorus.flows.is_final("IN_INCIDENTE"),
              chorus.flows.is_final("IN_EN_COURS_TRAITEMENT_CPP"), chorus.flows.is_final("QP_RECEVABLE"))
            print(pcall(chorus.flows.is_final, nil))
            """)
        #expect(
            run.output == Vocabulary.errorCodes.joined(separator: ",") + "\ntrue\ttrue\tfalse\tfalse\n"
                + "false\ttest.lua:4: bad argument #1 to 'is_final' (string expected (an etatCourantDepotFlux), got nil)\n")
    }

    /// One status list: every status the platform lets a recipient move an invoice to is one
    /// chorus.invoices.process accepts (so next_statuses never offers a status process refuses).
    @Test func everyNextStatusIsOneProcessAccepts() async throws {
        let accepted = Set(Vocabulary.recipientProcessingStatuses)
        for (from, targets) in Vocabulary.recipientTransitions {
            for target in targets { #expect(accepted.contains(target), "\(from) -> \(target)") }
        }
        let h = try Harness([:])
        var checks: [String] = []
        for target in Vocabulary.recipientTransitions.values.flatMap({ $0 }) where !checks.contains(target) { checks.append(target) }
        let source = checks.map { "print(select(2, pcall(chorus.invoices.process, { id = 1, status = '\($0)', motif = 'm' })))" }
            .joined(separator: "\n")
        let run = await h.run(source)
        // Each call gets past the argument checks to the network (the fake transport has no route).
        #expect(!run.output.contains("bad argument"), "\(run.output)")
    }
}
