import Synchronization

/// Counts the live runtime objects of the VMs that share it, so tests can prove that a finished run
/// released its `lua_State`, its host function boxes and every Swift error Lua held.
public final class LiveObjects: Sendable {
    /// Open `lua_State`s (one per `LuaVM`).
    public let states = Atomic<Int>(0)
    /// Host function boxes (one per installed Swift function).
    public let hostFunctionBoxes = Atomic<Int>(0)
    /// Swift errors held by Lua userdata.
    public let hostErrorBoxes = Atomic<Int>(0)
    /// VMs ever created with this counter.
    public let statesCreated = Atomic<Int>(0)

    public init() {}

    /// `states=0 boxes=0 errors=0` style summary.
    public var summary: String {
        "states=\(states.load(ordering: .relaxed)) boxes=\(hostFunctionBoxes.load(ordering: .relaxed)) errors=\(hostErrorBoxes.load(ordering: .relaxed))"
    }
}
