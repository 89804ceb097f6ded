/* Process-wide settings the Swift side cannot reach: glibc's malloc.h is not part of Swift's Glibc module. */
#ifndef CPROCESS_TUNING_H
#define CPROCESS_TUNING_H

/* Fixes glibc's mapping threshold at `bytes`: blocks at least that large are mapped on their own and
 * unmapped when freed, instead of the threshold rising to the size of each large block freed. Returns 1
 * when set, 0 when the C library has no such setting. */
int cpt_fix_mmap_threshold(int bytes);

#endif
