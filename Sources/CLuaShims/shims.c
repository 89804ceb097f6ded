#include "CLuaShims.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often (in VM instructions) the count hook checks cancellation and the deadline. */
#define CLH_HOOK_INTERVAL 1000
/* Extra memory granted after the cap is hit, so the error and its traceback can still be built. */
#define CLH_GRACE_BYTES ((size_t)4 << 20)
/* How deeply coroutine.close may nest (a __close handler closing another coroutine, and so on).
 * liblua 5.4.4 does not count these nested closes against its C-stack limit (fixed in 5.4.5), so an
 * unbounded chain overflows the C stack. Each level may itself use Lua's normal C budget (200). */
#define CLH_MAX_CLOSE_DEPTH 16
/* How many iterations a C loop of ours runs between deadline and cancellation checks. */
#define CLH_LOOP_CHECK 4096

struct clh_vmctl {
    size_t used;
    size_t peak;
    size_t limit;          /* 0: no cap */
    int host_depth;        /* > 0 while Swift or C host code runs: allocations never fail */
    double deadline;       /* monotonic seconds; 0: none */
    atomic_int cancel_requested;
    atomic_int kill;
    int close_depth;       /* coroutine.close calls nested inside __close handlers */
    void *owner;
    char warn_buffer[512];
    size_t warn_len;
};

static clh_dispatch_fn g_dispatch;
static clh_log_fn g_log;
static char g_null_sentinel;

void clh_set_dispatcher(clh_dispatch_fn fn) { g_dispatch = fn; }
void clh_set_logger(clh_log_fn fn) { g_log = fn; }
void *clh_null_sentinel(void) { return &g_null_sentinel; }

clh_vmctl *clh_ctl(lua_State *L) { return *(clh_vmctl **)lua_getextraspace(L); }

static double monotonic_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void log_message(clh_vmctl *c, int level, const char *message) {
    if (g_log) g_log(c ? c->owner : NULL, level, message);
    else fprintf(stderr, "lua: %s\n", message);
}

/* ---- allocator ---------------------------------------------------------------------------- */

static void *clh_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    clh_vmctl *c = (clh_vmctl *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        c->used -= old;
        return NULL;
    }
    if (nsize > old && c->limit > 0 && c->host_depth == 0) {
        size_t allowed = c->limit + (atomic_load(&c->kill) == CLH_KILL_MEMORY ? CLH_GRACE_BYTES : 0);
        if (c->used - old + nsize > allowed) {
            int none = CLH_KILL_NONE;
            atomic_compare_exchange_strong(&c->kill, &none, CLH_KILL_MEMORY);
            return NULL;
        }
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    c->used = c->used - old + nsize;
    if (c->used > c->peak) c->peak = c->used;
    return p;
}

/* ---- hook: cancellation, deadline, sticky kills ------------------------------------------- */

static const char *kill_message(int reason) {
    switch (reason) {
    case CLH_KILL_CANCELLED: return "run cancelled";
    case CLH_KILL_TIMEOUT: return "time limit exceeded";
    case CLH_KILL_MEMORY: return "memory limit exceeded";
    case CLH_KILL_EXIT: return "script exited";
    default: return "run stopped";
    }
}

/* The kill reason now (setting it when cancellation or the deadline is due), or CLH_KILL_NONE. */
static int due_kill(clh_vmctl *c) {
    int reason = atomic_load(&c->kill);
    if (reason == CLH_KILL_NONE) {
        if (atomic_load(&c->cancel_requested)) reason = CLH_KILL_CANCELLED;
        else if (c->deadline > 0 && monotonic_now() >= c->deadline) reason = CLH_KILL_TIMEOUT;
        if (reason == CLH_KILL_NONE) return CLH_KILL_NONE;
        int none = CLH_KILL_NONE;
        if (!atomic_compare_exchange_strong(&c->kill, &none, reason)) reason = none;
    }
    return reason;
}

static void clh_hook(lua_State *L, lua_Debug *ar);

/* Raises the kill error, and makes the hook sticky on this thread so pcall cannot swallow it. */
static int raise_kill(lua_State *L, int reason) {
    clh_vmctl *c = clh_ctl(L);
    lua_sethook(L, clh_hook, LUA_MASKCOUNT, 1);
    c->host_depth++;
    lua_pushstring(L, kill_message(reason));
    c->host_depth--;
    return lua_error(L);
}

static void clh_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    int reason = due_kill(clh_ctl(L));
    if (reason != CLH_KILL_NONE) raise_kill(L, reason);
}

/* For long loops in our C functions, which the count hook never sees. */
static void check_kill(lua_State *L) {
    int reason = due_kill(clh_ctl(L));
    if (reason != CLH_KILL_NONE) raise_kill(L, reason);
}

/* ---- panic and warnings ------------------------------------------------------------------- */

static int clh_panic(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    char buffer[600];
    snprintf(buffer, sizeof buffer, "unprotected error in Lua (PANIC): %s", msg ? msg : "(error object is not a string)");
    log_message(clh_ctl(L), 4, buffer);
    abort();
}

static void clh_warn(void *ud, const char *msg, int tocont) {
    clh_vmctl *c = (clh_vmctl *)ud;
    size_t len = strlen(msg);
    if (c->warn_len == 0 && !tocont && msg[0] == '@') return; /* control messages: warnings stay on */
    size_t room = sizeof c->warn_buffer - 1 - c->warn_len;
    if (len > room) len = room;
    memcpy(c->warn_buffer + c->warn_len, msg, len);
    c->warn_len += len;
    if (!tocont) {
        c->warn_buffer[c->warn_len] = 0;
        log_message(c, 3, c->warn_buffer);
        c->warn_len = 0;
    }
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

lua_State *clh_newstate(size_t max_bytes, void *owner) {
    clh_vmctl *c = calloc(1, sizeof(clh_vmctl));
    if (c == NULL) return NULL;
    c->limit = max_bytes;
    c->owner = owner;
    c->host_depth = 1; /* outside lua_resume/lua_pcall we are always in host mode */
    lua_State *L = lua_newstate(clh_alloc, c);
    if (L == NULL) { free(c); return NULL; }
    *(clh_vmctl **)lua_getextraspace(L) = c;
    lua_atpanic(L, clh_panic);
    lua_setwarnf(L, clh_warn, c);
    lua_sethook(L, clh_hook, LUA_MASKCOUNT, CLH_HOOK_INTERVAL);
    return L;
}

void clh_close(lua_State *L) {
    clh_vmctl *c = clh_ctl(L);
    lua_sethook(L, NULL, 0, 0);
    atomic_store(&c->kill, CLH_KILL_NONE);
    atomic_store(&c->cancel_requested, 0);
    c->host_depth = 1;
    lua_close(L);
    free(c);
}

void clh_set_owner(lua_State *L, void *owner) { clh_ctl(L)->owner = owner; }
void clh_set_memory_limit(lua_State *L, size_t max_bytes) { clh_ctl(L)->limit = max_bytes; }
void clh_set_timeout(lua_State *L, double seconds) {
    clh_ctl(L)->deadline = seconds > 0 ? monotonic_now() + seconds : 0;
}
void clh_begin_teardown(lua_State *L, double seconds) {
    clh_vmctl *c = clh_ctl(L);
    atomic_store(&c->cancel_requested, 0);
    atomic_store(&c->kill, CLH_KILL_NONE);
    c->deadline = monotonic_now() + seconds;
}
void clh_rearm(lua_State *L, double seconds) {
    clh_vmctl *c = clh_ctl(L);
    atomic_store(&c->cancel_requested, 0);
    atomic_store(&c->kill, CLH_KILL_NONE);
    c->deadline = seconds > 0 ? monotonic_now() + seconds : 0;
    lua_sethook(L, clh_hook, LUA_MASKCOUNT, CLH_HOOK_INTERVAL);
    c->host_depth++;
    lua_gc(L, LUA_GCCOLLECT);
    c->host_depth--;
}
void clh_request_cancel(clh_vmctl *ctl) { atomic_store(&ctl->cancel_requested, 1); }
int clh_kill_reason(lua_State *L) { return atomic_load(&clh_ctl(L)->kill); }
void clh_set_kill(lua_State *L, int reason) {
    int none = CLH_KILL_NONE;
    atomic_compare_exchange_strong(&clh_ctl(L)->kill, &none, reason);
}
size_t clh_memory_used(lua_State *L) { return clh_ctl(L)->used; }
size_t clh_memory_peak(lua_State *L) { return clh_ctl(L)->peak; }
void clh_enter_host(lua_State *L) { clh_ctl(L)->host_depth++; }
void clh_leave_host(lua_State *L) { clh_ctl(L)->host_depth--; }

/* ---- host functions ------------------------------------------------------------------------ */

void clh_push_hostfunction(lua_State *L, void *box) {
    lua_pushlightuserdata(L, box);
    lua_pushcclosure(L, clh_trampoline, 1);
}

int clh_trampoline(lua_State *L) {
    clh_vmctl *c = clh_ctl(L);
    void *box = lua_touserdata(L, lua_upvalueindex(1));
    c->host_depth++;
    int n = g_dispatch(L, box);
    c->host_depth--;
    /* Host code is never refused an allocation (it cannot unwind), but what it built for the script
     * counts: past the cap (after a full collection), the run stops as if Lua had allocated it. */
    if (c->limit > 0 && c->used > c->limit) {
        lua_gc(L, LUA_GCCOLLECT);
        if (c->used > c->limit) {
            int none = CLH_KILL_NONE;
            atomic_compare_exchange_strong(&c->kill, &none, CLH_KILL_MEMORY);
            return raise_kill(L, atomic_load(&c->kill));
        }
    }
    /* A host function may stop the run (it charged more memory than the cap allows). */
    int reason = atomic_load(&c->kill);
    if (reason != CLH_KILL_NONE) return raise_kill(L, reason);
    if (n >= 0) return n;
    if (n == CLH_RAISE_WHERE) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (n <= CLH_ARGERROR_BASE) {
        const char *msg = lua_tostring(L, -1);
        return luaL_argerror(L, CLH_ARGERROR_BASE - n, msg ? msg : "invalid value");
    }
    return lua_error(L);
}

int clh_set_marker(lua_State *L, int index, int ref, int other) {
    index = lua_absindex(L, index);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    if (lua_getmetatable(L, index)) {
        /* Already this marker: nothing to change (the markers have no __gc, so setting it again
         * would do nothing either). */
        if (lua_rawequal(L, -1, -2)) {
            lua_pop(L, 2);
            return 1;
        }
        /* Only a metatable that is not one of ours can be protected: ours never have
         * `__metatable`, so the string lookup is skipped when switching between them. */
        lua_rawgeti(L, LUA_REGISTRYINDEX, other);
        int ours = lua_rawequal(L, -1, -2);
        lua_pop(L, 1);
        if (!ours) {
            lua_pushliteral(L, "__metatable");
            int protected = lua_rawget(L, -2) != LUA_TNIL;
            lua_pop(L, 1);
            if (protected) {
                lua_pop(L, 2);
                return 0;
            }
        }
        lua_pop(L, 1);
    }
    lua_setmetatable(L, index);
    return 1;
}

/* ---- protected operations ------------------------------------------------------------------ */

/* ---- replacements for standard functions that escape the limits ------------------------- */

enum { COS_RUN, COS_DEAD, COS_YIELD, COS_NORM };

static int co_status_of(lua_State *L, lua_State *co) {
    if (L == co) return COS_RUN;
    switch (lua_status(co)) {
    case LUA_YIELD: return COS_YIELD;
    case LUA_OK: {
        lua_Debug ar;
        if (lua_getstack(co, 0, &ar)) return COS_NORM;
        return lua_gettop(co) == 0 ? COS_DEAD : COS_YIELD;
    }
    default: return COS_DEAD;
    }
}

/* coroutine.close, with nesting bounded (see CLH_MAX_CLOSE_DEPTH). lua_resetthread runs the
 * __close handlers protected, so the depth counter is always restored. */
static int safe_co_close(lua_State *L) {
    static const char *const names[] = {"running", "dead", "suspended", "normal"};
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    int status = co_status_of(L, co);
    if (status != COS_DEAD && status != COS_YIELD)
        return luaL_error(L, "cannot close a %s coroutine", names[status]);
    clh_vmctl *c = clh_ctl(L);
    if (c->close_depth >= CLH_MAX_CLOSE_DEPTH)
        return luaL_error(L, "coroutine.close nested too deeply (more than %d __close handlers closing coroutines)",
                          CLH_MAX_CLOSE_DEPTH);
    c->close_depth++;
    int result = clh_closethread(co, L);
    c->close_depth--;
    if (result == LUA_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    lua_xmove(co, L, 1);
    return 2;
}

/* string.rep: an empty result is answered at once (the stock loop copies zero bytes n times, out of
 * the hook's reach); anything else is one allocation the memory cap refuses or allows. */
static int safe_str_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || (l == 0 && (lsep == 0 || n == 1))) {
        lua_pushliteral(L, "");
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* table.move as in ltablib.c, checking the deadline and cancellation as it goes. */
static int safe_tab_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int tt = !lua_isnoneornil(L, 5) ? 5 : 1;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, tt, LUA_TTABLE);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1;
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++) {
                if ((i & (CLH_LOOP_CHECK - 1)) == 0) check_kill(L);
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        } else {
            for (lua_Integer i = n - 1; i >= 0; i--) {
                if ((i & (CLH_LOOP_CHECK - 1)) == 0) check_kill(L);
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        }
    }
    lua_pushvalue(L, tt);
    return 1;
}

/* Replaces lib[name] by `fn`, giving it the original as upvalue 1. The table is on top. */
static void replace_field(lua_State *L, const char *name, lua_CFunction fn) {
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, fn, 1);
    lua_setfield(L, -2, name);
}

static int open_libs_body(lua_State *L) {
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},       {LUA_LOADLIBNAME, luaopen_package},
        {LUA_COLIBNAME, luaopen_coroutine}, {LUA_TABLIBNAME, luaopen_table},
        {LUA_OSLIBNAME, luaopen_os},     {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8},
        {LUA_DBLIBNAME, luaopen_debug},  {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        if (lib->func == luaopen_coroutine) replace_field(L, "close", safe_co_close);
        if (lib->func == luaopen_string) replace_field(L, "rep", safe_str_rep);
        if (lib->func == luaopen_table) replace_field(L, "move", safe_tab_move);
        if (lib->func == luaopen_package) {
            /* package.searchpath answers whether any file on the machine exists. */
            lua_pushnil(L);
            lua_setfield(L, -2, "searchpath");
        }
        lua_pop(L, 1);
    }
    return 0;
}

int clh_open_libs(lua_State *L) {
    lua_pushcfunction(L, open_libs_body);
    return lua_pcall(L, 0, 0, 0);
}

int clh_resume(lua_State *co, lua_State *from, int nargs, int *nresults) {
    clh_vmctl *c = clh_ctl(co);
    int saved = c->host_depth;
    c->host_depth = 0;
    int status = lua_resume(co, from, nargs, nresults);
    c->host_depth = saved;
    return status;
}

int clh_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    clh_vmctl *c = clh_ctl(L);
    int saved = c->host_depth;
    c->host_depth = 0;
    int status = lua_pcall(L, nargs, nresults, msgh);
    c->host_depth = saved;
    return status;
}

int clh_closethread(lua_State *co, lua_State *from) {
#if LUA_VERSION_RELEASE_NUM >= 50406
    return lua_closethread(co, from);
#else
    (void)from;
    return lua_resetthread(co);
#endif
}

static int traceback_body(lua_State *L) {
    lua_State *co = (lua_State *)lua_touserdata(L, 1);
    const char *msg = lua_tostring(L, 2);
    int level = (int)lua_tointeger(L, 3);
    luaL_traceback(L, co, msg, level);
    return 1;
}

int clh_traceback(lua_State *L, lua_State *co, const char *message, int level) {
    lua_pushcfunction(L, traceback_body);
    lua_pushlightuserdata(L, co);
    if (message) lua_pushstring(L, message); else lua_pushnil(L);
    lua_pushinteger(L, level);
    return lua_pcall(L, 3, 1, 0);
}

static int tostring_body(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

/* Runs __tostring, which is script code: under the memory cap and the hook like any Lua code. */
int clh_tostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (!lua_checkstack(L, 3)) return CLH_NOTHING_PUSHED;
    lua_pushcfunction(L, tostring_body);
    lua_pushvalue(L, idx);
    return clh_pcall(L, 1, 1, 0);
}

int clh_load(lua_State *L, const char *buffer, size_t size, const char *chunkname, const char *mode) {
    return luaL_loadbufferx(L, buffer, size, chunkname, mode);
}
