import ChorusAPI
import ChorusSimulator
import Foundation

/// The one in-process simulator of this `chorus` process, started on first use by `--env sim` (and
/// the default environment). Commands pass it explicitly to whatever resolves an environment, so
/// the client, the doctor and a script's `chorus.doctor` all talk to the same simulator.
enum ProcessSimulator {
    /// Configured by `CHORUS_SIM_STATE` and `CHORUS_SIM_SCENARIO`.
    static let launcher: any SimulatorLauncher = InProcessSimulatorLauncher(
        environment: ProcessInfo.processInfo.environment)
}
