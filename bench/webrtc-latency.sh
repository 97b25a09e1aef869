#!/usr/bin/env bash
# The WebRTC benchmark: two private network namespaces joined by a point-to-point link are the receiver's machine
# (Janus, the receiver's Release build, the sender simulator with a phone's boot clock) and a viewer's machine on the
# LAN (headless Chromium, the viewer page over plain HTTP at 10.99.2.1 in WebRTC mode). The clip (720p60, 8 Mbit/s)
# carries its frame number in the picture and the sound beeps; the driver matches what the page shows and plays to
# what the phone sent. One row per run and link: frames shown, glass-to-glass latency, sound latency, A/V offset,
# jitter buffers, losses; then a second table with the A/V offset by each way of timing the sound (the WebRTC
# renderer's chunks plus its playout delay, which the first table uses, and the Web Audio tap of earlier tables). The link is a tun device in each namespace and bench/drivers/lossy-link.py between them,
# which drops the given share of packets in both directions (this kernel has no netem, tc classifiers or netfilter;
# the no-loss rows go through it too). The machine's own interfaces are never touched. Then fan-out: the receiver's
# CPU with 1 and with N receive-only viewers (360p30). Needs root, ip, python3, ffmpeg, janus and /usr/bin/chromium.
#
#   bench/webrtc-latency.sh [--loss 0,2,5] [--seconds 20] [--repeat 3] [--settle 3] [--fanout 1,50] [--fanout-runs 3]
#                           [--fanout-seconds 10] [--no-fanout] [--no-latency] [--out table.md]
set -euo pipefail
cd "$(dirname "$0")/.."
losses=0,2,5 seconds=20 repeat=3 settle=3 fanout=1,50 fanout_runs=3 fanout_seconds=10 out="" do_latency=1 do_fanout=1
while [ $# -gt 0 ]; do
  case "$1" in
    --loss) losses=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --fanout) fanout=$2; shift 2 ;;
    --fanout-runs) fanout_runs=$2; shift 2 ;;
    --fanout-seconds) fanout_seconds=$2; shift 2 ;;
    --no-fanout) do_fanout=0; shift ;;
    --no-latency) do_latency=0; shift ;;
    --out) out=$2; shift 2 ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "webrtc-latency.sh: network namespaces need root" >&2; exit 77; }
for tool in ip python3 ffmpeg janus /usr/bin/chromium; do
  command -v "$tool" >/dev/null 2>&1 || { echo "webrtc-latency.sh: $tool is not installed" >&2; exit 77; }
done

dotnet build -c Release -v q src/Receiver.Web >/dev/null
dotnet build -c Release -v q tools/Receiver.Sender >/dev/null
dotnet build -c Release -v q bench/Receiver.WebRtcBench >/dev/null

work=$(mktemp -d /tmp/webrtc-bench.XXXXXX)
srv=airplay-rtcb-srv-$$ view=airplay-rtcb-view-$$ link_pid=""
cleanup() {
  local ns pid
  [ -n "$link_pid" ] && kill "$link_pid" 2>/dev/null || true
  for ns in "$view" "$srv"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  done
  sleep 0.5
  for ns in "$view" "$srv"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# The first "ip netns add" on a machine makes /run/netns a shared mount; namespaces are created one at a time.
flock /tmp/airplay-netns.lock ip netns add "$srv"
flock /tmp/airplay-netns.lock ip netns add "$view"
ip -n "$srv" link set lo up
ip -n "$view" link set lo up
ip netns exec "$srv" ip tuntap add dev rtc0 mode tun
ip netns exec "$view" ip tuntap add dev rtc1 mode tun
ip -n "$srv" addr add 10.99.2.1 peer 10.99.2.2 dev rtc0
ip -n "$view" addr add 10.99.2.2 peer 10.99.2.1 dev rtc1
ip -n "$srv" link set rtc0 up
ip -n "$view" link set rtc1 up
ip -n "$srv" route add default dev rtc0
ip -n "$view" route add default dev rtc1
printf '#!/bin/sh\nexec ip netns exec %s /usr/bin/chromium "$@"\n' "$view" > "$work/chromium-on-the-lan.sh"
chmod 755 "$work/chromium-on-the-lan.sh"

# The link, dropping the share of packets given in both directions; restarted for each share.
link_loss() {
  if [ -n "$link_pid" ]; then kill "$link_pid"; wait "$link_pid" 2>/dev/null || true; fi
  # Real-time priority: on a busy machine the link itself must not wait for a core, as a network would not.
  chrt -f 10 python3 bench/drivers/lossy-link.py "$1" "$srv" rtc0 "$view" rtc1 >> "$work/link.log" 2>&1 &
  link_pid=$!
  sleep 0.5
}

bench=(ip netns exec "$srv" dotnet bench/Receiver.WebRtcBench/bin/Release/net10.0/Receiver.WebRtcBench.dll
  --repo "$PWD" --chromium "$work/chromium-on-the-lan.sh" --page-host 10.99.2.1 --ice-interface rtc0)
rows="$work/rows.md"
fans="$work/fanout.md"
started=$(date -u '+%Y-%m-%d %H:%M')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$do_latency" = 1 ]; then
  for loss in ${losses//,/ }; do
    link_loss "$loss"
    if [ "$loss" = 0 ]; then label="no loss"; else label="$loss % loss"; fi
    "${bench[@]}" --link "$label" --seconds "$seconds" --repeat "$repeat" --settle "$settle" --out "$rows" || true
  done
fi
if [ "$do_fanout" = 1 ]; then
  link_loss 0
  "${bench[@]}" --fanout "$fanout" --repeat "$fanout_runs" --fanout-seconds "$fanout_seconds" --out "$fans" || true
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "$link_pid" ]; then kill "$link_pid"; wait "$link_pid" 2>/dev/null || true; link_pid=""; fi

{
  echo "Measured $started UTC on $(nproc) cores ($(uname -r)), $(/usr/bin/chromium --version 2>/dev/null | head -1) headless, software decode;"
  echo "$(janus --version 2>/dev/null | head -1 || true); load average before $load_before, after $load_after."
  echo
  [ -f "$rows" ] && cat "$rows"
  echo
  [ -f "$rows.sound" ] && cat "$rows.sound"
  echo
  [ -f "$fans" ] && cat "$fans"
  echo
  grep lossy-link "$work/link.log" || true
} | tee "${out:-/dev/null}"
