import ChorusAPI
import Foundation

/// The states a deposited flux goes through, on the simulator clock:
/// `IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP` (just deposited) → `IN_EN_COURS_TRAITEMENT_CPP` →
/// its outcome, `IN_INTEGRE`, `IN_INTEGRE_PARTIEL` or `IN_REJETE`, decided when the file was read.
enum FluxStateMachine {
    static let waiting = Vocabulary.FlowState.waiting
    static let processing = Vocabulary.FlowState.processing
    static let integrated = Vocabulary.FlowState.integrated
    static let partiallyIntegrated = Vocabulary.FlowState.partiallyIntegrated
    static let rejected = Vocabulary.FlowState.rejected

    /// The state of `flux` at `now` and since when it holds.
    static func state(of flux: Flux, at now: Date) -> (state: String, since: Date) {
        if now >= flux.finalAt { return (flux.outcome, flux.finalAt) }
        if now >= flux.processingAt { return (processing, flux.processingAt) }
        return (waiting, flux.depositedAt)
    }

    /// The outcome of a flux from its integrated invoices and its errors (per invoice or per file).
    static func outcome(integrated: Int, problems: Int) -> String {
        if integrated == 0 { return rejected }
        return problems == 0 ? Self.integrated : partiallyIntegrated
    }
}
