#!/usr/bin/env bash
# Shared by the libFuzzer targets: builds fuzz/harness/NAME.swift with the Swift sources it names on its
# "// sources:" line (paths relative to the repository), under -sanitize=fuzzer,address, then runs it.
#   fuzz/lib/libfuzzer.sh NAME SECONDS WORKDIR
#   fuzz/lib/libfuzzer.sh --check NAME   (type-checks the harness with its sources; run by scripts/lint,
#                                         so a harness whose source list went stale fails the tests)
# Seeds come from the "// seeds:" line (files or folders). Crashes are kept in WORKDIR/crashes/, each
# printed with the command that replays it; the exit code is non-zero when there is one.
set -euo pipefail
check=false
if [ "${1:-}" = --check ]; then
    check=true name=$2 seconds=0 work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
else
    name=$1 seconds=$2 work=$3
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
harness=$root/fuzz/harness/$name.swift
mkdir -p "$work/corpus" "$work/crashes" "$work/bin"
work=$(cd "$work" && pwd)
read -r -a sources <<<"$(sed -n 's#^// sources: *##p' "$harness")"
read -r -a seeds <<<"$(sed -n 's#^// seeds: *##p' "$harness")"
# "// strip-imports: MODULE..." compiles sources of other modules (JSONValue) into the harness's one
# module: copies of the sources, their `import MODULE` lines removed, are built instead.
read -r -a strip <<<"$(sed -n 's#^// strip-imports: *##p' "$harness")"
if [ "${#strip[@]}" -gt 0 ]; then
    rm -rf "$work/src" && mkdir -p "$work/src"
    copies=()
    for source in "${sources[@]}"; do
        copy=$work/src/$(echo "$source" | tr / _)
        cp "$root/$source" "$copy"
        for module in "${strip[@]}"; do sed -i "/^import $module\$/d" "$copy"; done
        copies+=("$copy")
    done
    sources=("${copies[@]}")
fi
binary=$work/bin/$name
# CArchive is a C target of the package: its module map and its loader (which loads libarchive with
# dlopen on first use, as chorus does) are made here.
mkdir -p "$work/carchive"
printf 'module CArchive {\n    header "%s/Sources/CArchive/include/CArchive.h"\n    export *\n}\n' "$root" \
    >"$work/carchive/module.modulemap"
includes=(-I "$work/carchive" -I "$root/Sources/CZlib")
if $check; then
    (cd "$root" && swiftc -typecheck -parse-as-library -module-name "Fuzz_$name" "${includes[@]}" "${sources[@]}" "$harness")
    exit
fi
clang -O1 -g -fsanitize=address -I "$root/Sources/CArchive/include" -c "$root/Sources/CArchive/archive_loader.c" \
    -o "$work/carchive/archive_loader.o"
echo "fuzz: building $name" >&2
(cd "$root" && swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name "Fuzz_$name" \
    "${includes[@]}" "${sources[@]}" "$harness" "$work/carchive/archive_loader.o" -ldl -o "$binary")
for seed in "${seeds[@]}"; do
    [ -e "$root/$seed" ] || continue
    if [ -d "$root/$seed" ]; then cp -n "$root/$seed"/* "$work/corpus/" 2>/dev/null || true
    else cp -n "$root/$seed" "$work/corpus/" 2>/dev/null || true; fi
done
before=$(ls "$work/crashes" | wc -l)
set +e
LSAN_OPTIONS="suppressions=$root/fuzz/lib/lsan.supp:print_suppressions=0" "$binary" "$work/corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -max_len=1048576 -print_final_stats=1 -artifact_prefix="$work/crashes/" 2>"$work/log.txt"
status=$?
set -e
grep -E "^stat::|^#[0-9]+.*DONE|^Done" "$work/log.txt" | tail -8 >&2 || true
after=$(ls "$work/crashes" | wc -l)
if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
    echo "fuzz: $name found a crash (exit $status); log: $work/log.txt" >&2
    for crash in "$work/crashes"/*; do
        [ -e "$crash" ] && echo "fuzz: replay with: $binary $crash" >&2
    done
    exit 1
fi
echo "fuzz: $name ran ${seconds}s without a crash" >&2
