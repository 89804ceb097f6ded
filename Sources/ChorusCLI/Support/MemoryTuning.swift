import CProcessTuning

/// Process-wide allocator settings, applied once before anything else runs.
enum MemoryTuning {
    /// Large buffers (a 13 MB deposit body, the transport's 4 MB chunks of it, a downloaded file) are
    /// mapped and unmapped on their own, so their memory goes back to the system when they are freed.
    ///
    /// Why: glibc raises its mapping threshold to the size of each large block freed (up to 32 MB), so
    /// after the first large free, blocks of a deposit's size come from the heap arenas, which keep
    /// freed memory. Measured on a 9.5 MB deposit (`bench/deposit-memory.sh`): 3.9× the file above the
    /// idle process with glibc's default, 2.5× with the threshold fixed at its initial 128 KB.
    static func returnLargeBuffersToTheSystem() {
        _ = cpt_fix_mmap_threshold(128 * 1024)
    }
}
