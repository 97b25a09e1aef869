#!/usr/bin/env bash
# Receiver CPU per stream of a fast ingest: the sender simulator sends a pre-encoded clip as fast as the receiver
# takes it (`--fast`, no sound, no viewer) while the receiver writes the decrypted video to disk (the video dump).
# Runs the given receiver builds in turn, RUNS times each, alternating, each in its own process (loopback,
# discovery and HTTPS off, open access), and prints the receiver's CPU seconds (user + system from /proc) spent
# from the sender's start to its end, the wall time of the ingest and the frames the receiver counted.
#
#   bench/drivers/ingest-cost.sh CLIP RUNS NAME=RECEIVER_DLL [NAME=RECEIVER_DLL ...]
#   TRACE=dir bench/drivers/ingest-cost.sh ...   (also records a CPU-sampling trace of each run with dotnet-trace,
#                                                  installed into bench/.tools, as dir/NAME-RUN.nettrace)
#
# The sender is this worktree's Release build of tools/Receiver.Sender. A clip: 1920x1080@60 at 20 Mbit/s, e.g.
#   ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=60 -t 60 -c:v libx264 -preset ultrafast -tune zerolatency \
#     -bf 0 -g 120 -b:v 20M -maxrate 20M -bufsize 20M -pix_fmt yuv420p clip.h264
set -euo pipefail
cd "$(dirname "$0")/../.."
clip="$1" runs="$2"
shift 2
work="$(mktemp -d)"
control=17710 mirror=17810 web=18710
sender_dll=tools/Receiver.Sender/bin/Release/net10.0/Receiver.Sender.dll
receiver=""
trap '[ -n "$receiver" ] && kill $receiver 2>/dev/null; rm -rf "$work"' EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

echo "| build | run | receiver CPU s | ingest wall s | frames |"
echo "|---|---:|---:|---:|---:|"
for run in $(seq 1 "$runs"); do
  for spec in "$@"; do
    name="${spec%%=*}" dll="${spec#*=}"
    rm -rf "$work/dump" "$work/data"
    dotnet "$dll" --urls "http://127.0.0.1:$web" \
      --Receiver:ControlPort=$control --Receiver:MirrorPort=$mirror --Receiver:Web:HttpsPort=0 \
      --Receiver:Discovery:Enabled=false --Receiver:DataDirectory="$work/data" --Receiver:Access:Mode=open \
      --Receiver:Viewer:Access=open --Receiver:Diagnostics:DumpVideoDirectory="$work/dump" \
      --Logging:LogLevel:Default=Warning >"$work/receiver-$name-$run.log" 2>&1 &
    receiver=$!
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$web/healthz" >/dev/null && break; sleep 0.1; done
    sleep 1
    tracer=""
    if [ -n "${TRACE:-}" ]; then
      mkdir -p "$TRACE"
      # A background job of a script ignores SIGINT, which is how dotnet-trace is told to stop: restore it.
      python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
        bench/.tools/dotnet-trace collect -p $receiver --profile dotnet-sampled-thread-time \
        -o "$TRACE/$name-$run.nettrace" >"$work/trace-$name-$run.log" 2>&1 &
      tracer=$!
      sleep 2
    fi
    before=$(cpu_ticks $receiver)
    start=$(date +%s.%N)
    dotnet "$sender_dll" mirror --host 127.0.0.1 --port $control --input "$clip" --fast --fps 60 \
      >"$work/sender-$name-$run.log" 2>&1 || { echo "the sender failed:" >&2; tail -5 "$work/sender-$name-$run.log" >&2; }
    end=$(date +%s.%N)
    after=$(cpu_ticks $receiver)
    frames=$(grep -o 'frames [0-9]*' "$work/sender-$name-$run.log" | head -1 | cut -d' ' -f2)
    if [ -n "$tracer" ]; then kill -INT $tracer 2>/dev/null || true; wait $tracer 2>/dev/null || true; fi
    kill $receiver; wait $receiver 2>/dev/null || true
    receiver=""
    awk -v b="$before" -v a="$after" -v hz="$hz" -v s="$start" -v e="$end" -v n="$name" -v r="$run" -v f="${frames:-?}" \
      'BEGIN { printf "| %s | %d | %.2f | %.2f | %s |\n", n, r, (a - b) / hz, e - s, f }'
  done
done
