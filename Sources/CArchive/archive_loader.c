/* The libarchive functions chorus calls, forwarded to the library loaded with dlopen (see
 * include/CArchive.h for why). Every forwarder is defined with libarchive's own prototype from
 * <archive.h>, so the compiler checks each one against the installed header. */
#include "CArchive.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* X(return type, name, (parameters), (arguments), value returned when the library is missing). */
#define CHORUS_ARCHIVE_FUNCTIONS(X, V)                                                             \
    X(struct archive *, archive_read_new, (void), (), NULL)                                        \
    X(int, archive_read_free, (struct archive *a), (a), ARCHIVE_FATAL)                              \
    X(int, archive_read_support_filter_gzip, (struct archive *a), (a), ARCHIVE_FATAL)               \
    X(int, archive_read_support_format_zip, (struct archive *a), (a), ARCHIVE_FATAL)                \
    X(int, archive_read_support_format_tar, (struct archive *a), (a), ARCHIVE_FATAL)                \
    X(int, archive_read_support_format_gnutar, (struct archive *a), (a), ARCHIVE_FATAL)             \
    X(int, archive_read_open_memory, (struct archive *a, const void *buffer, size_t size),          \
        (a, buffer, size), ARCHIVE_FATAL)                                                           \
    X(int, archive_read_next_header, (struct archive *a, struct archive_entry **entry), (a, entry), \
        ARCHIVE_FATAL)                                                                              \
    X(la_ssize_t, archive_read_data, (struct archive *a, void *buffer, size_t size),                \
        (a, buffer, size), ARCHIVE_FATAL)                                                           \
    X(int, archive_filter_count, (struct archive *a), (a), 0)                                       \
    X(struct archive *, archive_write_new, (void), (), NULL)                                       \
    X(int, archive_write_free, (struct archive *a), (a), ARCHIVE_FATAL)                             \
    X(int, archive_write_set_format_zip, (struct archive *a), (a), ARCHIVE_FATAL)                   \
    X(int, archive_write_zip_set_compression_store, (struct archive *a), (a), ARCHIVE_FATAL)        \
    X(int, archive_write_set_bytes_per_block, (struct archive *a, int bytes), (a, bytes),           \
        ARCHIVE_FATAL)                                                                              \
    X(int, archive_write_open,                                                                      \
        (struct archive *a, void *context, archive_open_callback *open, archive_write_callback *write, \
            archive_close_callback *close),                                                         \
        (a, context, open, write, close), ARCHIVE_FATAL)                                            \
    X(int, archive_write_header, (struct archive *a, struct archive_entry *entry), (a, entry),      \
        ARCHIVE_FATAL)                                                                              \
    X(la_ssize_t, archive_write_data, (struct archive *a, const void *buffer, size_t size),         \
        (a, buffer, size), ARCHIVE_FATAL)                                                           \
    X(int, archive_write_close, (struct archive *a), (a), ARCHIVE_FATAL)                            \
    X(struct archive_entry *, archive_entry_new, (void), (), NULL)                                 \
    X(__LA_MODE_T, archive_entry_filetype, (struct archive_entry *e), (e), 0)                       \
    X(const char *, archive_entry_pathname, (struct archive_entry *e), (e), NULL)                  \
    X(const char *, archive_entry_pathname_utf8, (struct archive_entry *e), (e), NULL)             \
    V(archive_entry_free, (struct archive_entry *e), (e))                                           \
    V(archive_entry_set_pathname_utf8, (struct archive_entry *e, const char *name), (e, name))      \
    V(archive_entry_set_filetype, (struct archive_entry *e, unsigned int type), (e, type))          \
    V(archive_entry_set_perm, (struct archive_entry *e, __LA_MODE_T perm), (e, perm))               \
    V(archive_entry_set_size, (struct archive_entry *e, la_int64_t size), (e, size))

#define CHORUS_POINTER(type, name, parameters, arguments, missing) static __typeof__(name) *loaded_##name;
#define CHORUS_VOID_POINTER(name, parameters, arguments) static __typeof__(name) *loaded_##name;
CHORUS_ARCHIVE_FUNCTIONS(CHORUS_POINTER, CHORUS_VOID_POINTER)

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded;
static char failure[512];

/* The name of libarchive's runtime library (soname 13 since libarchive 3.0). */
#ifdef __APPLE__
static const char library_name[] = "libarchive.13.dylib";
#else
static const char library_name[] = "libarchive.so.13";
#endif

static void load(void) {
    void *library = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(failure, sizeof failure,
            "libarchive could not be loaded (%s); install it (Debian: apt-get install libarchive13)",
            why ? why : library_name);
        return;
    }
#define CHORUS_RESOLVE(name)                                                                                  \
    loaded_##name = (__typeof__(name) *)dlsym(library, #name);                                              \
    if (loaded_##name == NULL) {                                                                            \
        snprintf(failure, sizeof failure, "the libarchive found has no %s; install libarchive 3.6 or later", #name); \
        return;                                                                                             \
    }
#define CHORUS_RESOLVE_X(type, name, parameters, arguments, missing) CHORUS_RESOLVE(name)
#define CHORUS_RESOLVE_V(name, parameters, arguments) CHORUS_RESOLVE(name)
    CHORUS_ARCHIVE_FUNCTIONS(CHORUS_RESOLVE_X, CHORUS_RESOLVE_V)
    /* The library stays loaded for the life of the process: its functions are called from any thread. */
    loaded = 1;
}

int chorus_archive_load(const char **reason) {
    pthread_once(&load_once, load);
    if (!loaded && reason != NULL) *reason = failure;
    return loaded;
}

/* Each forwarder loads the library if nothing did yet; without it, constructors return NULL and the
 * rest a failure, which callers already handle (chorus_archive_load gives them the reason). */
#define CHORUS_FORWARD(type, name, parameters, arguments, missing)                                  \
    type name parameters {                                                                         \
        if (!chorus_archive_load(NULL)) return missing;                                            \
        return loaded_##name arguments;                                                            \
    }
#define CHORUS_VOID_FORWARD(name, parameters, arguments)                                            \
    void name parameters {                                                                         \
        if (chorus_archive_load(NULL)) loaded_##name arguments;                                    \
    }
CHORUS_ARCHIVE_FUNCTIONS(CHORUS_FORWARD, CHORUS_VOID_FORWARD)
