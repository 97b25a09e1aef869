#!/usr/bin/env bash
# One round over every target: each runs until about EXECUTIONS executions (default 1,000,000; at most
# MAX_SECONDS each, default 900), and the round's table is written to fuzz/RESULTS.md.
#
#   fuzz/run-all.sh [EXECUTIONS] [MAX_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
execs="${1:-1000000}"
max="${2:-900}"
targets="$(fuzz/run.sh --list | awk '{print $1}')"
rows=()
for target in $targets; do
  timeout_ms=1000
  [[ "$target" == pair-setup-pin ]] && timeout_ms=5000
  line="$(FUZZ_EXECS="$execs" FUZZ_TIMEOUT_MS=$timeout_ms fuzz/run.sh "$target" "$max" | tail -1)"
  echo "$line"
  rows+=("$line")
done
{
  echo "# Fuzzing: the latest round"
  echo
  echo "Written by \`fuzz/run-all.sh $execs $max\` on $(date -u +%Y-%m-%d) ($(nproc) cores, AFL++ $(afl-fuzz -h 2>&1 | grep -o '++[0-9.a-z]*' | head -1 | tr -d +))."
  echo "Executions and edges are this round's (each round starts from the kept corpus, so edges found earlier are"
  echo "counted again); \"reproduced\" are findings that crash or hang without the instrumentation, kept in"
  echo "\`fuzz/crashes/\`. \"Replay\" is the slowest corpus input replayed on warm code."
  echo
  echo "| target | executions | seconds | edges | corpus | reproduced | not reproduced | slowest replay |"
  echo "|---|---|---|---|---|---|---|---|"
  for line in "${rows[@]}"; do
    python3 - "$line" <<'PY'
import re, sys
m = re.match(r'(\S+): (\d+) executions in (\d+) s, (\d+) edges \((.*?) of the map\), corpus (\d+); crashes/hangs reproduced (\d+), not reproduced (\d+); replay (.*)', sys.argv[1])
if m:
    t, ex, sec, edges, cvg, corpus, rep, unrep, replay = m.groups()
    print(f"| `{t}` | {int(ex):,} | {sec} | {edges} | {corpus} | {rep} | {unrep} | {replay} |")
else:
    print(f"| {sys.argv[1]} | | | | | | | |")
PY
  done
} > fuzz/RESULTS.md
cat fuzz/RESULTS.md
