#!/usr/bin/env bash
# Start-up of receiver builds: each build started RUNS times, alternating, in its own process (loopback, discovery and
# HTTPS off, open access); prints the wall time from the process's start to its first /healthz answer (polled every
# 20 ms), the CPU seconds (user + system from /proc) it had used by then, and its resident memory then.
#
#   bench/drivers/startup-cost.sh RUNS NAME=RECEIVER_DLL [NAME=RECEIVER_DLL ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="$1"
shift
work="$(mktemp -d)"
control=17730 mirror=17830 web=18730
receiver=""
trap '[ -n "$receiver" ] && kill $receiver 2>/dev/null; rm -rf "$work"' EXIT
hz=$(getconf CLK_TCK)

echo "| build | run | to /healthz s | CPU s | RSS MiB |"
echo "|---|---:|---:|---:|---:|"
for run in $(seq 1 "$runs"); do
  for spec in "$@"; do
    name="${spec%%=*}" dll="${spec#*=}"
    rm -rf "$work/data"
    start=$(date +%s.%N)
    dotnet "$dll" --urls "http://127.0.0.1:$web" \
      --Receiver:ControlPort=$control --Receiver:MirrorPort=$mirror --Receiver:Web:HttpsPort=0 \
      --Receiver:Discovery:Enabled=false --Receiver:DataDirectory="$work/data" --Receiver:Access:Mode=open \
      --Receiver:Viewer:Access=open --Logging:LogLevel:Default=Warning >"$work/receiver-$name-$run.log" 2>&1 &
    receiver=$!
    ready=""
    for _ in $(seq 1 1500); do
      if curl -sf "http://127.0.0.1:$web/healthz" >/dev/null 2>&1; then ready=$(date +%s.%N); break; fi
      sleep 0.02
    done
    ticks=$(awk '{print $14 + $15}' "/proc/$receiver/stat")
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$receiver/status")
    kill $receiver; wait $receiver 2>/dev/null || true
    receiver=""
    awk -v s="$start" -v r="${ready:-0}" -v t="$ticks" -v hz="$hz" -v n="$name" -v run="$run" -v m="$rss" \
      'BEGIN { printf "| %s | %d | %s | %.2f | %.0f |\n", n, run, (r > 0 ? sprintf("%.2f", r - s) : "none"), t / hz, m / 1024 }'
  done
done
