#!/usr/bin/env bash
# The load driver (bench/Receiver.LoadBench) against the receiver published as the Dockerfile publishes it (Release,
# for this machine's runtime identifier, so self-contained, one composite ReadyToRun image, tiered compilation off; into
# bench/.publish/receiver), which it starts as a child process
# on free loopback ports (discovery off). Clips are encoded once into bench/.cache.
#
#   bench/load.sh fanout [options]   N senders × M viewers per session, e.g.
#       bench/load.sh fanout --senders 16 --viewers 25 --stalled 1 --clip 1080p60 --seconds 30
#       bench/load.sh fanout --senders 1 --viewers 400 --stalled 4 --clip 720p60 --clip-seconds 45 --seconds 20
#   bench/load.sh ingest [options]   the same 1080p60 20 Mbit/s stream sent as fast as taken to UxPlay 1.62 and to this
#       receiver, alternating, five runs each (--runs N, --clip-seconds S: 180 by default), both dumping the video.
#       UxPlay runs headless (-nh -vs 0 -as 0 -nc -vdmp) with our receiver and the senders inside a private network
#       namespace that holds only "lo", with its own dbus and avahi (tests/netns-lib.sh): nothing touches a real
#       interface. Needs root, uxplay, avahi-daemon, dbus-daemon. --page-state hot (default): before every run the
#       driver deletes our dump, writes a scratch file of twice the clip's size + 10 % in its work folder, deletes it
#       right after the kernel's next free page reporting pass, then connects at once, so each receiver's dump lands
#       in just-freed memory; --page-state as-is: memory as the previous run left it (see bench/README.md).
#   bench/load.sh profile [seconds=6]  one 1080p60 sender as fast as taken with the video dump on, no viewers, profiled
#       over the ingest twice: dotnet-trace (a NuGet tool installed into bench/.tools; sampled thread time) and perf
#       (on-CPU samples); prints the top 10 methods by exclusive time of each, perf's shares by binary and thread, and
#       the method bodies the JIT compiled during the run (from the runtime's perf map).
#   bench/load.sh alloc [fanout options]  a fan-out run with the runtime's allocation samples traced over warm-up and
#       window (dotnet-trace, GC events at verbose level: one sample about every 100 KB with its type and stack); prints
#       the table and the allocating types and stacks.
#
# Extra receiver options: --receiver-option --Receiver:…=… (repeatable). --out FILE appends the table to FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
mode="${1:?usage: bench/load.sh fanout|ingest|profile|alloc [options]}"
shift

rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
# RECEIVER_BENCH_DLL=path/Receiver.Web.dll bench/load.sh … measures that build instead (e.g. an older publish).
if [ -z "${RECEIVER_BENCH_DLL:-}" ]; then
  dotnet publish -c Release -v q -r "$rid" -o "$repo/bench/.publish/receiver" src/Receiver.Web >/dev/null
  export RECEIVER_BENCH_DLL="$repo/bench/.publish/receiver/Receiver.Web.dll"
fi
dotnet build -c Release -v q bench/Receiver.LoadBench >/dev/null
bench_dll="$repo/bench/Receiver.LoadBench/bin/Release/net10.0/Receiver.LoadBench.dll"

case "$mode" in
  fanout)
    exec dotnet "$bench_dll" fanout --repo "$repo" "$@"
    ;;
  alloc)
    tools="$repo/bench/.tools"
    [ -x "$tools/dotnet-trace" ] || dotnet tool install dotnet-trace --tool-path "$tools" >/dev/null
    out="$(mktemp -d)"
    dotnet "$bench_dll" fanout --repo "$repo" "$@" \
      --trace-command "$tools/dotnet-trace collect -p {pid} --providers Microsoft-Windows-DotNETRuntime:0x1:5 --duration 00:00:00:{seconds} -o $out/alloc.nettrace"
    echo "## allocation samples over warm-up and window"
    dotnet "$bench_dll" alloc-report "$out/alloc.nettrace"
    echo "trace: $out/alloc.nettrace"
    ;;
  profile)
    seconds="${1:-6}"
    tools="$repo/bench/.tools"
    [ -x "$tools/dotnet-trace" ] || dotnet tool install dotnet-trace --tool-path "$tools" >/dev/null
    out="$(mktemp -d)"
    profile_run() {
      dotnet "$bench_dll" fanout --repo "$repo" --fast --senders 1 --viewers 0 --clip 1080p60 \
        --warmup 0.5 --seconds "$seconds" --receiver-option "--Receiver:Diagnostics:DumpVideoDirectory=$out/dump" \
        --trace-command "$1" "${@:2}" 2>&1 >&2 | tee "$out/run.log" >&2
      rm -rf "$out/dump"
    }
    # dotnet-trace: EventPipe's sampled thread time (about 100 Hz per thread, blocked threads included; without the
    # kernel's user_events, collect-linux and its CPU sampling are not available).
    profile_run "$tools/dotnet-trace collect -p {pid} --profile dotnet-sampled-thread-time --duration 00:00:00:{seconds} -o $out/ingest.nettrace"
    echo "## dotnet-trace, sampled thread time, top 10 by exclusive time"
    "$tools/dotnet-trace" report "$out/ingest.nettrace" topN -n 10
    # perf: on-CPU samples (cpu-clock, 999 Hz) of every thread, native and kernel code included; the JIT's methods
    # resolved through the perf map the runtime writes with DOTNET_PerfMapEnabled.
    if command -v perf >/dev/null; then
      profile_run "perf record -e cpu-clock -F 999 -g -p {pid} -o $out/ingest.perf -- sleep {seconds}" --perf-map
      report() { perf report -i "$out/ingest.perf" --no-children --stdio -g none "$@" 2>/dev/null | grep -v '^#' | grep -v '^$' | sed 's/  */ /g' || true; }
      echo "## perf, on-CPU samples: share by binary"
      report --sort dso | head -8 || true
      echo "## perf, top 10 symbols by exclusive CPU"
      report --sort dso,symbol | head -10 || true
      echo "## perf, share by thread"
      report --sort comm | head -6 || true
      echo "## perf, top 10 managed methods by exclusive CPU (share of all samples)"
      report --sort dso,symbol | grep -E '\[JIT\]|\.dll' | sed 's/\[JIT\] tid [0-9]* //' | cut -c1-220 | head -10 || true
      echo "## method bodies the JIT compiled during the perf run, by tier"
      jit_list=$(ls -t /tmp/load-bench-*/jit-during-run.txt 2>/dev/null | head -1)
      if [ -n "$jit_list" ]; then
        wc -l < "$jit_list"
        sed -E 's/.*\[([A-Za-z0-9]+)\]$/\1/' "$jit_list" | sort | uniq -c | sort -rn | head -6
      fi
      # The receiver's perf map served the report; nothing else needs it.
      receiver_pid=$(sed -nE 's/.*receiver pid ([0-9]+) .*/\1/p' "$out/run.log" | head -1)
      [ -n "$receiver_pid" ] && rm -f "/tmp/perf-$receiver_pid.map"
    fi
    echo "traces: $out"
    ;;
  ingest)
    # shellcheck source=../tests/netns-lib.sh
    . "$repo/tests/netns-lib.sh"
    netns_require ip unshare ss dbus-daemon avahi-daemon uxplay
    netns_begin_avahi airplay-load
    : > "$WORK/bench-args.txt"
    [ $# -eq 0 ] || printf '%s\n' "$@" > "$WORK/bench-args.txt"
    cat > "$WORK/inner.sh" <<'INNER'
set -u
WORK=$1; REPO=$2; DLL=$3; PORT=47100
mapfile -t ARGS < "$WORK/bench-args.txt"
. "$NETNS_LIB"
netns_private_run
netns_start_avahi "$WORK" || exit 1
cd "$WORK"
uxplay -nh -n Ref -vs 0 -as 0 -nc -p "$PORT" -vdmp "$WORK/uxdump" > "$WORK/uxplay.log" 2>&1 &
UX=$!
# UxPlay 1.62 opens its RTSP listener on one of the ports PORT..PORT+2: use the one that listens once it is up.
CONTROL=""
for _ in $(seq 1 50); do
  CONTROL=$(ss -ltnH 2>/dev/null | awk '{print $4}' | sed 's/.*://' | awk -v lo="$PORT" '$1>=lo && $1<=lo+2' | head -n1)
  [ -n "$CONTROL" ] && break
  sleep 0.2
done
[ -n "$CONTROL" ] || { echo "UxPlay did not listen; see $WORK/uxplay.log" >&2; cat "$WORK/uxplay.log" >&2; exit 1; }
dotnet "$DLL" ingest --repo "$REPO" --uxplay-port "$CONTROL" --uxplay-pid "$UX" --uxplay-dump "$WORK/uxdump.h264" "${ARGS[@]}"
echo $? > "$WORK/bench-exit.txt"
kill "$UX" 2>/dev/null
wait "$UX" 2>/dev/null
netns_stop_avahi "$WORK"
exit 0
INNER
    netns_exec_private "$WORK/inner.sh" "$WORK" "$repo" "$bench_dll"
    grep -iE "error|fail" "$WORK/uxplay.log" | head -5 >&2 || true
    exit "$(cat "$WORK/bench-exit.txt" 2>/dev/null || echo 1)"
    ;;
  *)
    echo "unknown mode $mode: fanout, ingest, profile or alloc" >&2
    exit 2
    ;;
esac
