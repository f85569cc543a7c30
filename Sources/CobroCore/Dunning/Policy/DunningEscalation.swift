/// An action a step asks for besides the message. The planner only reports it on the message; whoever records
/// the plan carries it out (and audits it).
public enum DunningEscalation: String, Sendable, Codable, Hashable, CaseIterable {
    /// Put the customer on credit hold (no new credit sales until released).
    case creditHold = "credit_hold"
    /// Reassign the customer to the collections manager.
    case reassignToManager = "reassign_to_manager"
    /// Mark the customer for hand-over to a collection agency. Once the hand-over is confirmed the customer is
    /// flagged as handed over and the planner skips it.
    case handOverToAgency = "hand_over_to_agency"
    /// Mark the customer for hand-over to legal (lawyer, court). Same effect on the planner as ``handOverToAgency``.
    case handOverToLegal = "hand_over_to_legal"
}
