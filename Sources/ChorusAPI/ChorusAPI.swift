// The Chorus Pro client (DESIGN.md §1): environments, profiles, token provider, transport,
// operation catalog, envelope decoding, error taxonomy. It knows nothing of Lua.
