/* The only code that raises Lua errors, installs hooks or allocates for Lua.
 * Swift host functions never raise: they return a sentinel and clh_trampoline raises for them. */
#ifndef CLUA_SHIMS_H
#define CLUA_SHIMS_H
#include <stddef.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#pragma clang assume_nonnull begin

/* Return codes of a Swift host function, beyond "n results". */
#define CLH_RAISE (-1)          /* the error value on top of the stack is raised as is */
#define CLH_RAISE_WHERE (-2)    /* a message string on top is prefixed with the caller's position */
#define CLH_ARGERROR_BASE (-1000) /* -(1000 + arg): message on top, raised as luaL_argerror(arg) */

/* Returned by a protected helper that could not even push its error (the stack is full). */
#define CLH_NOTHING_PUSHED (-100)

/* Why a run was stopped; sticky once set. */
#define CLH_KILL_NONE 0
#define CLH_KILL_CANCELLED 1
#define CLH_KILL_TIMEOUT 2
#define CLH_KILL_MEMORY 3
#define CLH_KILL_EXIT 4 /* the script asked to end the run (<namespace>.exit) */

typedef int (*clh_dispatch_fn)(lua_State *L, void *box);
typedef void (*clh_log_fn)(void *_Nullable owner, int level, const char *message);

/* Process-wide callbacks into Swift, set once. */
void clh_set_dispatcher(clh_dispatch_fn fn);
void clh_set_logger(clh_log_fn fn);

/* Per-state control block: memory accounting, kill flag, deadline. Opaque to Swift. */
typedef struct clh_vmctl clh_vmctl;

/* A new state with the accounting allocator, panic and warning handlers, the count hook and the
 * control block in the extra space. NULL if even that cannot be allocated. */
lua_State *_Nullable clh_newstate(size_t max_bytes, void *_Nullable owner);
/* Closes the state and frees its control block. */
void clh_close(lua_State *L);
clh_vmctl *clh_ctl(lua_State *L);
void clh_set_owner(lua_State *L, void *_Nullable owner);
void clh_set_memory_limit(lua_State *L, size_t max_bytes);
/* Deadline in seconds from now; 0 or less clears it. */
void clh_set_timeout(lua_State *L, double seconds);
/* After a cancelled run: clears the kill and gives the script's __close handlers `seconds` to run. */
void clh_begin_teardown(lua_State *L, double seconds);
/* Safe from any thread and from a signal handler. */
void clh_request_cancel(clh_vmctl *ctl);
/* Makes a state that was stopped (cancelled, past its deadline, over its memory cap) usable again for
 * the next run: no kill, no pending cancellation, a new deadline `seconds` from now (0: none), the
 * normal hook on the main thread, and a full collection. For hosts that run several chunks in one
 * state (an interactive session). */
void clh_rearm(lua_State *L, double seconds);
int clh_kill_reason(lua_State *L);
void clh_set_kill(lua_State *L, int reason);
size_t clh_memory_used(lua_State *L);
size_t clh_memory_peak(lua_State *L);
/* Host mode: allocations always succeed (the cap is enforced only while Lua code runs). */
void clh_enter_host(lua_State *L);
void clh_leave_host(lua_State *L);

/* Host functions: `box` is an unretained pointer owned by the Swift VM, stored as upvalue 1. */
void clh_push_hostfunction(lua_State *L, void *box);
int clh_trampoline(lua_State *L);
/* setmetatable(t, registry[ref]) for the table at `index`, without metamethods; refused (returns 0,
 * nothing changed) when its current metatable has a `__metatable` field, as setmetatable refuses.
 * `other` is the registry slot of the other marker: the host's two markers are never protected, so
 * switching between them skips that lookup. Returns 1 once set. One call for the host's array/object
 * markers (the hot path of a host call). */
int clh_set_marker(lua_State *L, int index, int ref, int other);

/* Opens the allowed standard libraries under lua_pcall. Returns a lua status. */
int clh_open_libs(lua_State *L);

/* lua_resume with the cap enforced while Lua runs. */
int clh_resume(lua_State *co, lua_State *_Nullable from, int nargs, int *nresults);
/* lua_pcall with the cap enforced while Lua runs. */
int clh_pcall(lua_State *L, int nargs, int nresults, int msgh);
int clh_closethread(lua_State *co, lua_State *_Nullable from);

/* Protected helpers: never raise; on failure they push an error message and return non-zero. */
int clh_traceback(lua_State *L, lua_State *co, const char *_Nullable message, int level);
/* tostring with metamethods, run as Lua code (under the memory cap and the hook). */
int clh_tostring(lua_State *L, int idx);
int clh_load(lua_State *L, const char *buffer, size_t size, const char *chunkname, const char *mode);

/* Macros Swift cannot import. */
static inline void clh_pop(lua_State *L, int n) { lua_settop(L, -(n)-1); }
static inline int clh_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int clh_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void clh_newtable(lua_State *L) { lua_createtable(L, 0, 0); }
static inline const char *_Nullable clh_tolstring(lua_State *L, int idx, size_t *_Nullable len) {
    return lua_tolstring(L, idx, len);
}
static inline int clh_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
static inline void clh_pushglobaltable(lua_State *L) { lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS); }
static inline int clh_ridx_globals(void) { return LUA_RIDX_GLOBALS; }
static inline int clh_isyieldable(lua_State *L) { return lua_isyieldable(L); }
static inline int clh_version_num(void) { return LUA_VERSION_NUM * 100 + (LUA_VERSION_RELEASE_NUM % 100); }
static inline const char *clh_release(void) { return LUA_RELEASE; }

/* A unique address used as the `null` light userdata. */
void *clh_null_sentinel(void);

#pragma clang assume_nonnull end
#endif
