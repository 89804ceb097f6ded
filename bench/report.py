"""Prints the benchmark table and writes docs/benchmarks.md (called by scripts/bench).
    python3 bench/report.py ROWS.tsv OUTPUT.md key=value... raw=TITLE|FILE...
ROWS.tsv: id, what, figure, reference, ratio, target, met, command (one row a line, tab-separated).
"""
import sys

rows_path, output = sys.argv[1], sys.argv[2]
meta, raws = {}, []
for arg in sys.argv[3:]:
    key, _, value = arg.partition("=")
    if key == "raw":
        title, _, path = value.partition("|")
        raws.append((title, path))
    else:
        meta[key] = value
rows = [line.rstrip("\n").split("\t") for line in open(rows_path, encoding="utf-8") if line.strip()]

# The terminal table.
print()
print(f"== results ({meta.get('mode')} run, {meta.get('date')}, load average {meta.get('load_start')} -> {meta.get('load_end')})")
widths = [40, 30, 14, 14, 4]
header = ["what", "figure", "ratio", "target", "met"]
print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
for _, what, figure, reference, ratio, target, met, _ in rows:
    plain = what.replace("`", "")
    cells = [plain[:40], figure[:30], ratio, target, met]
    print("  ".join(c.ljust(w) for c, w in zip(cells, widths)))
    print("    reference: " + reference.replace("`", ""))
missed = [r[1].replace("`", "") for r in rows if r[6] == "no"]
print(f"targets missed: {len(missed)}" + ("".join(f"\n  - {m}" for m in missed)))

# docs/benchmarks.md
out = []
out.append("# Benchmarks")
out.append("")
out.append("Written by `./scripts/bench` (do not edit by hand: run it again). Every ratio compares two figures")
out.append("measured in the same run, on the same machine, one after the other, so a loaded machine slows")
out.append(f"both sides. The binary measured: `{meta.get('build')}`.")
out.append("")
out.append("## Machine and run")
out.append("")
out.append(f"- date: {meta.get('date')}; commit {meta.get('commit')}; {meta.get('mode')} run "
           f"(`./scripts/bench{' --quick' if meta.get('mode') == 'quick' else ''}`), "
           f"{meta.get('total_seconds')} s in all, of which {meta.get('build_seconds')} s of build")
out.append(f"- CPU: {meta.get('cpu')}, {meta.get('cores')} cores; memory {meta.get('memory')}")
out.append(f"- system: {meta.get('os')}; {meta.get('swift')}")
out.append(f"- load average (1, 5, 15 min) at the start: {meta.get('load_start')}; at the end: {meta.get('load_end')}")
out.append("")
out.append("## Results")
out.append("")
out.append("| what | figure | reference, measured in the same run | ratio | target | met |")
out.append("|---|---|---|---|---|---|")
for _, what, figure, reference, ratio, target, met, _ in rows:
    out.append(f"| {what} | {figure} | {reference} | {ratio} | {target} | {met} |")
out.append("")
out.append("## Commands")
out.append("")
out.append("| row | command |")
out.append("|---|---|")
for _, what, _, _, _, _, _, command in rows:
    out.append(f"| {what} | `{command}` |")
out.append("")
out.append("The scripts are in `bench/`; `scripts/bench` starts a fresh `chorus sim` (empty state) for each")
out.append("deposit measurement and its reference, with the seed credentials of docs/simulator.md.")
notes_path = "bench/NOTES.md"
try:
    notes = open(notes_path, encoding="utf-8").read().strip()
except OSError:
    notes = ""
if notes:
    out.append("")
    out.append(notes)
out.append("")
out.append("## Raw output")
for title, path in raws:
    try:
        text = open(path, encoding="utf-8", errors="replace").read().rstrip()
    except OSError:
        continue
    text = "\n".join(line for line in text.splitlines() if not line.startswith("BENCH "))
    out.append("")
    out.append(f"### {title}")
    out.append("")
    out.append("```")
    out.append(text)
    out.append("```")
# No absolute path of this machine goes into the repository.
text = "\n".join(out) + "\n"
for key, placeholder in (("run_dir", "$RUN"), ("root", ".")):
    if meta.get(key):
        text = text.replace(meta[key], placeholder)
open(output, "w", encoding="utf-8").write(text)
print(f"wrote {output}")
