/* libarchive's API, loaded with dlopen when an archive is first read or written.
 * libarchive pulls about a dozen shared libraries (libxml2 and ICU among them) whose loading and
 * relocation cost every start of chorus about 2 ms, although most runs never open an archive. The
 * functions chorus calls are defined in archive_loader.c with libarchive's own prototypes; each
 * calls the library's function once it is loaded. */
#ifndef CHORUS_CARCHIVE_H
#define CHORUS_CARCHIVE_H
#include <archive.h>
#include <archive_entry.h>

/* Loads libarchive once per process (thread-safe). Returns 1 when it is usable; otherwise 0, and
 * `*reason` (if not NULL) points at a static message naming the library and what went wrong. */
int chorus_archive_load(const char *_Nullable *_Nullable reason);

#endif
