import ChorusAPI
import ChorusLedger
import Foundation
import GRDB

/// Why a run started.
public enum RunTrigger: String, Sendable, Equatable, CaseIterable {
    /// Its time came.
    case schedule
    /// The scheduler started after missing one or more of its times: one run for all of them.
    case catchUp = "catch-up"
    /// `chorus schedule once`.
    case manual
}

/// Where a run stands.
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
    case running, succeeded, failed, cancelled
    /// Its process ended without recording the end (killed, power cut); found by the next scheduler.
    case interrupted
}

/// One run of a workflow, as `chorus schedule history` shows it.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    /// `plugin:name`.
    public var workflow: String
    public var trigger: RunTrigger
    /// The schedule time it ran for (nil for a manual run).
    public var scheduledFor: Date?
    public var startedAt: Date
    public var endedAt: Date?
    public var status: RunStatus
    /// The `chorus.Error` code of a failure (nil for a script error).
    public var errorCode: String?
    /// The failure or cancellation, redacted.
    public var error: String?
    /// 1, plus one per retry.
    public var attempts: Int
    /// The last lines the run wrote, redacted.
    public var log: String
    /// The process that ran it.
    public var pid: Int32
}

/// The run records in a SQLite file (WAL; several schedulers and `chorus schedule history` may open
/// it at once). The scheduler also reads its memory from it: when each workflow last ran on schedule.
public final class RunStore: Sendable {
    private let queue: DatabaseQueue
    public let path: String

    /// Opens (creating if needed, with its folder) the records at `path`.
    /// - Throws: a `CONFIG` `ChorusError` naming the file.
    public init(path: String) throws(ChorusError) {
        self.path = path
        queue = try SQLiteFile.open(
            path: path, label: "chorus.schedule", durability: .full, migrator: Self.migrator,
            what: "the scheduler's run records", remediation: "choose another file with --history / CHORUS_SCHEDULE_DB")
    }

    /// `--history`, else `CHORUS_SCHEDULE_DB`, else `$XDG_STATE_HOME/chorus/schedule.sqlite`.
    public static func defaultPath(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let variable = environment["CHORUS_SCHEDULE_DB"], !variable.isEmpty { return variable }
        return ChorusPaths.resolve(environment: environment).stateDirectory.appendingPathComponent("schedule.sqlite").path
    }

    /// Where the workflow locks live: `$XDG_STATE_HOME/chorus/locks`, whatever the records file, so
    /// every scheduler of a user on the machine shares them.
    public static func lockDirectory(environment: [String: String]) -> URL {
        ChorusPaths.resolve(environment: environment).stateDirectory.appendingPathComponent("locks")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("workflow", .text).notNull()
                t.column("trigger", .text).notNull()
                t.column("scheduledFor", .double)
                t.column("startedAt", .double).notNull()
                t.column("endedAt", .double)
                t.column("status", .text).notNull()
                t.column("errorCode", .text)
                t.column("error", .text)
                t.column("attempts", .integer).notNull()
                t.column("log", .text).notNull()
                t.column("pid", .integer).notNull()
            }
            try db.create(index: "runByWorkflow", on: "run", columns: ["workflow", "startedAt"])
        }
        return migrator
    }

    private func write<T>(_ body: (Database) throws -> T) throws(ChorusError) -> T {
        do { return try queue.write(body) } catch { throw failure(error) }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(ChorusError) -> T {
        do { return try queue.read(body) } catch { throw failure(error) }
    }

    private func failure(_ error: any Error) -> ChorusError {
        ChorusError(code: .config, message: "the scheduler's run records \(path): \(error)")
    }

    /// Records the start of a run; returns its id.
    public func start(workflow: String, trigger: RunTrigger, scheduledFor: Date?, at start: Date) throws(ChorusError) -> Int64 {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (workflow, trigger, scheduledFor, startedAt, status, attempts, log, pid)
                    VALUES (?, ?, ?, ?, 'running', 1, '', ?)
                    """,
                arguments: [
                    workflow, trigger.rawValue, scheduledFor?.timeIntervalSince1970, start.timeIntervalSince1970,
                    Int(getpid()),
                ])
            return db.lastInsertedRowID
        }
    }

    /// Records the end of run `id`. A run already ended keeps its first end.
    public func finish(
        id: Int64, status: RunStatus, errorCode: String?, error: String?, attempts: Int, log: String, at end: Date
    ) throws(ChorusError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE run SET status = ?, errorCode = ?, error = ?, attempts = ?, log = ?, endedAt = ?
                    WHERE id = ? AND status = 'running'
                    """,
                arguments: [status.rawValue, errorCode, error, attempts, log, end.timeIntervalSince1970, id])
        }
    }

    /// Marks the runs of `workflow` still shown running as interrupted. Called by whoever holds the
    /// workflow's lock: no live process can be running them.
    @discardableResult
    public func markInterrupted(workflow: String, at instant: Date) throws(ChorusError) -> Int {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE run SET status = 'interrupted', endedAt = ?,
                    error = 'the process running it ended before the run did (killed or crashed)'
                    WHERE workflow = ? AND status = 'running'
                    """,
                arguments: [instant.timeIntervalSince1970, workflow])
            return db.changesCount
        }
    }

    /// Where `workflow`'s schedule stands: the latest schedule time or start of a scheduled (or
    /// caught-up) run, nil when it never ran on schedule. Manual runs do not move it.
    public func cursor(workflow: String) throws(ChorusError) -> Date? {
        try read { db in
            let value = try Double.fetchOne(
                db,
                sql: """
                    SELECT MAX(MAX(COALESCE(scheduledFor, startedAt), startedAt)) FROM run
                    WHERE workflow = ? AND trigger IN ('schedule', 'catch-up')
                    """,
                arguments: [workflow])
            return value.map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// The runs, newest first: of one workflow or all, at most `limit`.
    public func runs(workflow: String? = nil, limit: Int = 20) throws(ChorusError) -> [RunRecord] {
        try read { db in
            var sql = "SELECT * FROM run"
            var arguments: StatementArguments = []
            if let workflow {
                sql += " WHERE workflow = ?"
                arguments += [workflow]
            }
            sql += " ORDER BY startedAt DESC, id DESC LIMIT ?"
            arguments += [max(0, limit)]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.record)
        }
    }

    static func record(_ row: Row) -> RunRecord {
        RunRecord(
            id: row["id"], workflow: row["workflow"],
            trigger: RunTrigger(rawValue: row["trigger"]) ?? .schedule,
            scheduledFor: (row["scheduledFor"] as Double?).map { Date(timeIntervalSince1970: $0) },
            startedAt: Date(timeIntervalSince1970: row["startedAt"]),
            endedAt: (row["endedAt"] as Double?).map { Date(timeIntervalSince1970: $0) },
            status: RunStatus(rawValue: row["status"]) ?? .failed, errorCode: row["errorCode"], error: row["error"],
            attempts: row["attempts"], log: row["log"], pid: Int32(truncatingIfNeeded: row["pid"] as Int))
    }
}
