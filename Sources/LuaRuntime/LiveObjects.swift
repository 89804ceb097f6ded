import Synchronization

/// Counts of live runtime objects, so tests can prove that runs release every Lua state and box.
public enum LiveObjects {
    /// Open `lua_State`s (one per `LuaVM`).
    public static let states = Atomic<Int>(0)
    /// Host function boxes (one per installed Swift function).
    public static let hostFunctionBoxes = Atomic<Int>(0)
    /// Swift errors held by Lua userdata.
    public static let hostErrorBoxes = Atomic<Int>(0)
}
