#!/usr/bin/env bash
# One round of fuzzing: each target runs until about EXECUTIONS executions (default 1,000,000; at most MAX_SECONDS
# each, default 900), and its row in fuzz/RESULTS.md is written (the other rows are kept).
#
#   fuzz/run-all.sh [EXECUTIONS] [MAX_SECONDS] [TARGET...]      (no TARGET: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
execs="${1:-1000000}"
max="${2:-900}"
shift $(( $# < 2 ? $# : 2 ))
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || mapfile -t targets < <(fuzz/run.sh --list | awk '{print $1}')
lines=()
for target in "${targets[@]}"; do
  timeout_ms=1000
  [[ "$target" == pair-setup-pin ]] && timeout_ms=5000
  line="$(FUZZ_EXECS="$execs" FUZZ_TIMEOUT_MS=$timeout_ms fuzz/run.sh "$target" "$max" | tail -1)"
  echo "$line"
  lines+=("$line")
done
order="$(fuzz/run.sh --list | awk '{print $1}' | paste -sd,)"
afl="$( (afl-fuzz -h 2>&1 || true) | grep -o '++[0-9.a-z]*' | head -1 | tr -d +)"
python3 - fuzz/RESULTS.md "$order" "$(date -u +%Y-%m-%d)" "$(nproc)" "$afl" "${lines[@]}" <<'PY'
import os, re, sys
path, order, day, cores, afl, *lines = sys.argv[1:]
rows = {}
if os.path.exists(path):
    for row in open(path, encoding="utf-8"):
        m = re.match(r'\| `([^`]+)` \|', row)
        if m:
            rows[m.group(1)] = row.rstrip("\n")
pattern = r'(\S+): (\d+) executions in (\d+) s, (\d+) edges \((.*?) of the map\), corpus (\d+); crashes/hangs reproduced (\d+), not reproduced (\d+); replay (.*)'
for line in lines:
    m = re.match(pattern, line)
    if not m:
        sys.exit(f"unexpected run.sh output: {line}")
    t, ex, sec, edges, _, corpus, rep, unrep, replay = m.groups()
    rows[t] = f"| `{t}` | {int(ex):,} | {sec} | {edges} | {corpus} | {rep} | {unrep} | {replay} | {day} |"
with open(path, "w", encoding="utf-8") as out:
    out.write("# Fuzzing: the latest round of each target\n\n")
    out.write(f"Written by `fuzz/run-all.sh` ({cores} cores, AFL++ {afl}). Executions and edges are the target's latest run (each run\n")
    out.write("starts from the kept corpus, so edges found earlier are counted again); \"reproduced\" are findings that crash or\n")
    out.write("hang without the instrumentation, kept in `fuzz/crashes/`; \"not reproduced\" are the runner's own end, which\n")
    out.write("AFL++ reports as a crash. \"Replay\" is the slowest corpus input replayed on warm code.\n\n")
    out.write("| target | executions | seconds | edges | corpus | reproduced | not reproduced | slowest replay | run on |\n")
    out.write("|---|---|---|---|---|---|---|---|---|\n")
    for t in order.split(","):
        if t in rows:
            row = rows[t]
            if row.count("|") == 9:  # a row from before the date column
                row += f" {day} |"
            out.write(row + "\n")
PY
cat fuzz/RESULTS.md | head -12
