#include "CProcessTuning.h"

/* Any libc header defines __GLIBC__ when the C library is glibc. */
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int cpt_fix_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    /* The trim threshold too: glibc doubles it along with the mapping threshold, and a large block
     * freed before main may already have raised both. */
    return mallopt(M_MMAP_THRESHOLD, bytes) == 1 && mallopt(M_TRIM_THRESHOLD, bytes) == 1;
#else
    (void)bytes;
    return 0;
#endif
}
