#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser with AFL++ and SharpFuzz.
#
#   fuzz/run.sh TARGET SECONDS      (fuzz/run.sh --list names the targets)
#
# Builds fuzz/Receiver.Fuzz into fuzz/.build, instruments Receiver.Core.dll there with SharpFuzz, and runs afl-fuzz
# from fuzz/corpus/TARGET for SECONDS (1 s limit per run, which includes the first run's JIT; the replay afterwards times every corpus input on warm code, where each must take under 100 ms). Afterwards the inputs AFL++ kept as new coverage
# are added to fuzz/corpus/TARGET, crashes and hangs are copied to fuzz/crashes/TARGET (replayed by the ordinary
# test run once fixed), and one line of figures is printed: executions, edges, crashes, hangs.
# FUZZ_EXECS=N stops after about N executions instead of after SECONDS (SECONDS is then an upper bound).
# FUZZ_TIMEOUT_MS (default 1000) raises the per-run limit for a target whose first run is slow to compile (pair-setup-pin).
# Needs afl++ (Debian) and the SharpFuzz.CommandLine .NET tool (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
build=fuzz/.build
if [[ "${1:-}" == "--list" ]]; then
  # The plain build: building into $build would put an uninstrumented Receiver.Core.dll over the instrumented one.
  dotnet build -c Release -v q fuzz/Receiver.Fuzz >/dev/null
  exec dotnet fuzz/Receiver.Fuzz/bin/Release/net10.0/Receiver.Fuzz.dll --list
fi
target="${1:?usage: fuzz/run.sh TARGET SECONDS}"
seconds="${2:-60}"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install afl++" >&2; exit 2; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
[[ -d "fuzz/corpus/$target" ]] || { echo "no corpus for $target (fuzz/corpus/$target)" >&2; exit 2; }

# One instrumented build shared by all targets; rebuilt when the sources are newer.
stamp="$build/.instrumented"
if [[ ! -f "$stamp" ]] || [[ -n "$(find src/Receiver.Core fuzz/Receiver.Fuzz -name '*.cs' -newer "$stamp" -print -quit)" ]]; then
  rm -rf "$build"
  dotnet build -c Release -v q fuzz/Receiver.Fuzz -o "$build" >/dev/null
  sharpfuzz "$build/Receiver.Core.dll" >/dev/null
  touch "$stamp"
fi

findings="fuzz/.findings/$target"
rm -rf "$findings"
mkdir -p "$findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export DOTNET_TieredPGO=0
limit=(-V "$seconds")
[[ -n "${FUZZ_EXECS:-}" ]] && limit=(-E "$FUZZ_EXECS" -V "$seconds")
afl-fuzz "${limit[@]}" -i "fuzz/corpus/$target" -o "$findings" -t "${FUZZ_TIMEOUT_MS:-1000}+" -m none -- \
  dotnet "$build/Receiver.Fuzz.dll" "$target" >"$findings/afl.log" 2>&1 || {
  echo "afl-fuzz failed; see $findings/afl.log" >&2; tail -20 "$findings/afl.log" >&2; exit 1; }

out="$findings/default"
for file in "$out"/queue/id:*; do
  [[ -f "$file" ]] || continue
  name="$(sha256sum "$file" | cut -c1-16)"
  [[ -e "fuzz/corpus/$target/seed-$name" || -e "fuzz/corpus/$target/afl-$name" ]] || cp "$file" "fuzz/corpus/$target/afl-$name"
done
# What AFL++ saw as a crash or hang is kept only when it reproduces without the instrumentation (a crash of the
# fork server itself is not the parser's); the others are counted as "not reproduced".
dotnet build -c Release -v q fuzz/Receiver.Fuzz >/dev/null
plain=fuzz/Receiver.Fuzz/bin/Release/net10.0/Receiver.Fuzz.dll
reproduced=0 unreproduced=0
for kind in crashes hangs; do
  for file in "$out/$kind"/id:*; do
    [[ -f "$file" ]] || continue
    if timeout 10 dotnet "$plain" "$target" "$file" >/dev/null 2>"$findings/replay.err"; then
      unreproduced=$((unreproduced + 1))
    else
      reproduced=$((reproduced + 1))
      mkdir -p "fuzz/crashes/$target"
      cp "$file" "fuzz/crashes/$target/$kind-$(sha256sum "$file" | cut -c1-16)"
      echo "reproduced $kind: fuzz/crashes/$target/$kind-$(sha256sum "$file" | cut -c1-16)" >&2
      head -5 "$findings/replay.err" >&2
    fi
  done
done
slowest="$(dotnet "$plain" "$target" "fuzz/corpus/$target")"
stat() { grep "^$1 " "$out/fuzzer_stats" | sed 's/.*: //'; }
printf '%s: %s executions in %s s, %s edges (%s of the map), corpus %s; crashes/hangs reproduced %s, not reproduced %s; replay %s\n' \
  "$target" "$(stat execs_done)" "$(stat run_time)" "$(stat edges_found)" "$(stat bitmap_cvg)" "$(stat corpus_count)" \
  "$reproduced" "$unreproduced" "${slowest#*: }"
