#!/usr/bin/env bash
# What the JIT compiles while a warmed receiver takes stream after stream: the receiver runs with the runtime's JIT
# summary (DOTNET_JitStdOutFile + DOTNET_JitDisasmSummary=1: one line per method body compiled, with its tier), takes
# one whole stream to warm up, then STREAMS more of the same clip, each sent as fast as taken with the video dump on
# and no viewer (as `bench/load.sh ingest` sends it, /metrics read before and after each stream as its driver does).
# Prints, for each stream, the method bodies compiled from its start to one second after its end, by tier, and the
# receiver's CPU seconds; the lists are kept in the work folder (stream-N.txt).
#
#   bench/drivers/jit-census.sh CLIP STREAMS RECEIVER_DLL [NAME=VALUE ...]
#     NAME=VALUE: environment of the receiver, e.g. DOTNET_TieredCompilation=0 or DOTNET_TC_CallCountThreshold=200.
#   TRACE=1 bench/drivers/jit-census.sh ...   also records the JIT's events over the measured streams with
#     dotnet-trace (bench/.tools; Microsoft-Windows-DotNETRuntime:0x10:5) and lists the methods by JIT time
#     (`Receiver.LoadBench jit-report`).
#
# The sender is this worktree's Release build of tools/Receiver.Sender; the clip is one of bench/.cache's or
# bench/drivers/ingest-cost.sh's.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
clip="$1" streams="$2" dll="$3"
shift 3
work="$(mktemp -d /tmp/jit-census.XXXXXX)"
control=17720 mirror=17820 web=18720
sender_dll=tools/Receiver.Sender/bin/Release/net10.0/Receiver.Sender.dll
receiver="" tracer=""
trap '[ -n "$tracer" ] && kill -INT $tracer 2>/dev/null; [ -n "$receiver" ] && kill $receiver 2>/dev/null; true' EXIT
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
lines() { wc -l < "$work/jit.txt"; }

env DOTNET_JitStdOutFile="$work/jit.txt" DOTNET_JitDisasmSummary=1 "$@" \
  dotnet "$dll" --urls "http://127.0.0.1:$web" \
  --Receiver:ControlPort=$control --Receiver:MirrorPort=$mirror --Receiver:Web:HttpsPort=0 \
  --Receiver:Discovery:Enabled=false --Receiver:DataDirectory="$work/data" --Receiver:Access:Mode=open \
  --Receiver:Viewer:Access=open --Receiver:Diagnostics:DumpVideoDirectory="$work/dump" \
  --Logging:LogLevel:Default=Warning >"$work/receiver.log" 2>&1 &
receiver=$!
start=$(date +%s.%N)
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$web/healthz" >/dev/null && break; sleep 0.05; done
ready=$(date +%s.%N)
echo "receiver pid $receiver, first /healthz after $(awk -v a="$start" -v b="$ready" 'BEGIN{printf "%.2f", b-a}') s," \
  "$(awk -v t="$(cpu_ticks $receiver)" -v hz="$hz" 'BEGIN{printf "%.2f", t/hz}') CPU-s, $(lines) bodies compiled; work folder $work"

send() {
  dotnet "$sender_dll" mirror --host 127.0.0.1 --port $control --input "$clip" --fast --fps 60 \
    >"$work/sender-$1.log" 2>&1 || { echo "the sender failed:" >&2; tail -5 "$work/sender-$1.log" >&2; }
}

send 0
sleep 1
rm -rf "$work/dump"
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$web/metrics" >/dev/null; done
sleep 3
if [ -n "${TRACE:-}" ]; then
  # A background job of a script ignores SIGINT, which is how dotnet-trace is told to stop: restore it.
  python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
    bench/.tools/dotnet-trace collect -p $receiver --providers Microsoft-Windows-DotNETRuntime:0x10:5 \
    -o "$work/jit.nettrace" >"$work/trace.log" 2>&1 &
  tracer=$!
  sleep 2
fi

echo "| stream | bodies compiled | by tier | receiver CPU s | ingest wall s |"
echo "|---:|---:|---|---:|---:|"
for n in $(seq 1 "$streams"); do
  curl -sf "http://127.0.0.1:$web/metrics" >/dev/null
  from=$(lines) before=$(cpu_ticks $receiver) t0=$(date +%s.%N)
  send "$n"
  t1=$(date +%s.%N)
  sleep 1
  curl -sf "http://127.0.0.1:$web/metrics" >/dev/null
  after=$(cpu_ticks $receiver)
  to=$(lines)
  if [ "$to" -gt "$from" ]; then sed -n "$((from + 1)),${to}p" "$work/jit.txt"; fi > "$work/stream-$n.txt"
  tiers=$(sed -nE 's/.*\[([^,]*),.*/\1/p' "$work/stream-$n.txt" | sort | uniq -c | sort -rn | awk '{c=$1; $1=""; printf "%s%s %d", (NR>1?", ":""), substr($0,2), c}')
  awk -v n="$n" -v c="$(wc -l < "$work/stream-$n.txt")" -v t="$tiers" -v b="$before" -v a="$after" -v hz="$hz" -v s="$t0" -v e="$t1" \
    'BEGIN { printf "| %d | %d | %s | %.2f | %.2f |\n", n, c, t, (a - b) / hz, e - s }'
  rm -rf "$work/dump"
done

if [ -n "$tracer" ]; then
  kill -INT $tracer; wait $tracer 2>/dev/null || true; tracer=""
  dotnet build -c Release -v q bench/Receiver.LoadBench >/dev/null
  dotnet bench/Receiver.LoadBench/bin/Release/net10.0/Receiver.LoadBench.dll jit-report "$work/jit.nettrace"
fi
kill $receiver; wait $receiver 2>/dev/null || true
receiver=""
echo "lists: $work/stream-N.txt, all: $work/jit.txt"
