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

struct clh_vmctl {
    size_t used;
    size_t peak;
    size_t limit;          /* 0: no cap */
    int host_depth;        /* > 0 while Swift or C host code runs: allocations never fail */
    double deadline;       /* monotonic seconds; 0: none */
    atomic_int cancel_requested;
    atomic_int kill;
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
    default: return "run stopped";
    }
}

static void clh_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    clh_vmctl *c = clh_ctl(L);
    int reason = atomic_load(&c->kill);
    if (reason == CLH_KILL_NONE) {
        if (atomic_load(&c->cancel_requested)) reason = CLH_KILL_CANCELLED;
        else if (c->deadline > 0 && monotonic_now() >= c->deadline) reason = CLH_KILL_TIMEOUT;
        if (reason == CLH_KILL_NONE) return;
        int none = CLH_KILL_NONE;
        if (!atomic_compare_exchange_strong(&c->kill, &none, reason)) reason = none;
    }
    /* Sticky: from now on every instruction of this thread raises again, so pcall cannot swallow it. */
    lua_sethook(L, clh_hook, LUA_MASKCOUNT, 1);
    c->host_depth++;
    lua_pushstring(L, kill_message(reason));
    c->host_depth--;
    lua_error(L);
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

/* ---- protected operations ------------------------------------------------------------------ */

static int open_libs_body(lua_State *L) {
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},       {LUA_LOADLIBNAME, luaopen_package},
        {LUA_COLIBNAME, luaopen_coroutine}, {LUA_TABLIBNAME, luaopen_table},
        {LUA_OSLIBNAME, luaopen_os},     {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8},
        {LUA_DBLIBNAME, luaopen_debug},  {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
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

int clh_tostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, tostring_body);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0);
}

int clh_load(lua_State *L, const char *buffer, size_t size, const char *chunkname, const char *mode) {
    return luaL_loadbufferx(L, buffer, size, chunkname, mode);
}
