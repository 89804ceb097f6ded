import ChorusAPI
import ChorusSimulator
import Foundation

/// The in-process simulator for `--env sim`, optionally kept in a state file across runs
/// (`CHORUS_SIM_STATE`) and started with a scenario or preset (`CHORUS_SIM_SCENARIO`), so scripts can
/// chain (deposit in one run, process as the recipient in the next) and reproduce onboarding failures.
enum SimulatorChoice {
    static func launcher(_ environment: [String: String]) -> InProcessSimulatorLauncher {
        let state = environment["CHORUS_SIM_STATE"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        var scenario: Scenario?
        if let name = environment["CHORUS_SIM_SCENARIO"], !name.isEmpty {
            do throws(Scenario.Error) {
                scenario = try Scenario.load(name)
            } catch {
                StandardError.write("chorus: CHORUS_SIM_SCENARIO: \(error.message)\n")
                Foundation.exit(ExitStatus.usage)
            }
        }
        return InProcessSimulatorLauncher(stateFile: state, scenario: scenario)
    }
}
