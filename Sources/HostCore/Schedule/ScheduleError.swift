/// A workflow's timing that cannot be scheduled: a malformed cron expression or interval, or an
/// unknown time zone. `message` is the whole explanation, shown as is by `chorus schedule list` and
/// by the plugin host when it refuses a `chorus.workflow{...}` registration.
public struct ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
