import Foundation
import JSONValue

/// The outcome of one doctor check.
public enum DoctorStatus: String, Sendable, CaseIterable {
    case ok, warning, failed, skipped
}

/// One rung of the doctor's ladder: what was checked, what happened, and what to do.
public struct DoctorStep: Sendable, Equatable {
    /// Stable identifier (`config`, `network`, `token`, `subscriptions`, `technical-account`,
    /// `structure`, `rattachement`, `password-expiry`, `deposit-test`).
    public var id: String
    public var title: String
    /// The onboarding step this verifies, as the official guide names it.
    public var guideStep: String
    public var status: DoctorStatus
    /// Facts observed: HTTP status, libelle, WWW-Authenticate, correlation id, counts...
    public var evidence: [String: String]
    /// Why it failed (or why it is a warning / skipped).
    public var cause: String?
    /// What to do, in the portal's words.
    public var remediation: String?
    /// The error class of a failure (gives the exit code).
    public var code: ChorusError.Code?
    public var durationMs: Int

    public init(
        id: String, title: String, guideStep: String, status: DoctorStatus, evidence: [String: String] = [:],
        cause: String? = nil, remediation: String? = nil, code: ChorusError.Code? = nil, durationMs: Int = 0
    ) {
        self.id = id
        self.title = title
        self.guideStep = guideStep
        self.status = status
        self.evidence = evidence
        self.cause = cause
        self.remediation = remediation
        self.code = code
        self.durationMs = durationMs
    }
}

/// The doctor's whole answer.
public struct DoctorReport: Sendable, Equatable {
    /// `sim`, `sandbox`, `prod`, `custom` (or what was asked for, when the configuration failed).
    public var environment: String
    public var profile: String?
    public var steps: [DoctorStep]

    /// The first failed step, if any.
    public var firstFailure: DoctorStep? { steps.first { $0.status == .failed } }

    /// 0 when nothing failed, else the exit code of the first failure's class (docs/errors.md).
    public var exitCode: Int32 { firstFailure.map { $0.code?.exitCode ?? 1 } ?? 0 }

    /// The report as JSON (the shape `docs/doctor.schema.json` describes).
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "environment": .string(environment),
            "ok": .bool(firstFailure == nil),
            "exit_code": .integer(Int64(exitCode)),
            "steps": .array(steps.map(\.json)),
        ]
        members["profile"] = profile.map { .string($0) } ?? .null
        return .object(members)
    }

    /// The report as a JUnit XML test suite, one test case per step, for CI dashboards.
    public var junit: String {
        let failures = steps.filter { $0.status == .failed }.count
        let skipped = steps.filter { $0.status == .skipped }.count
        let seconds = Double(steps.reduce(0) { $0 + $1.durationMs }) / 1000
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuite name="chorus doctor (\#(Self.escape(environment)))" tests="\#(steps.count)" failures="\#(failures)" errors="0" skipped="\#(skipped)" time="\#(seconds)">"# + "\n"
        for step in steps {
            let time = Double(step.durationMs) / 1000
            xml += #"  <testcase classname="chorus.doctor" name="\#(Self.escape(step.id + ": " + step.title))" time="\#(time)">"#
            let details = ([step.cause, step.remediation.map { "fix: " + $0 }].compactMap { $0 }
                + step.evidence.keys.sorted().map { "\($0): \(step.evidence[$0]!)" }).joined(separator: "\n")
            switch step.status {
            case .failed:
                xml += "\n" + #"    <failure message="\#(Self.escape(step.cause ?? "failed"))" type="\#(step.code?.rawValue ?? "FAILED")">\#(Self.escape(details))</failure>"# + "\n  "
            case .skipped:
                xml += "\n" + #"    <skipped message="\#(Self.escape(step.cause ?? "skipped"))"/>"# + "\n  "
            case .warning:
                xml += "\n" + #"    <system-out>\#(Self.escape("warning: " + details))</system-out>"# + "\n  "
            case .ok:
                break
            }
            xml += "</testcase>\n"
        }
        return xml + "</testsuite>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension DoctorStep {
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "title": .string(title), "guide_step": .string(guideStep),
            "status": .string(status.rawValue), "duration_ms": .integer(Int64(durationMs)),
            "evidence": .object(evidence.mapValues { .string($0) }),
        ]
        members["cause"] = cause.map { .string($0) } ?? .null
        members["remediation"] = remediation.map { .string($0) } ?? .null
        members["code"] = code.map { .string($0.rawValue) } ?? .null
        return .object(members)
    }
}
