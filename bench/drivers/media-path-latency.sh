#!/usr/bin/env bash
# Receiver-added latency of the media path, quiet and with two busy loops taking both cores: starts a receiver
# (Release, loopback, discovery off, open access), and for each load and viewer count runs the sender simulator
# (a pre-encoded 1280x720@60 8 Mbit/s H.264 clip in real time, with sound) and N media WebSocket viewers
# (bench/Receiver.ViewerProbe, alternating mse and webcodecs, no browser). Prints one table: load × viewers →
# receiver-added latency p50/p95/p99/max from the media headers (sentUnix − receivedUnix: access unit complete →
# its send to that viewer starts) and from the receiver's own figures (SessionStats.receiverLatency: complete →
# send finished; per-second figures, the median of the medians and the worst second), frames published and
# received per viewer.
#
#   bench/drivers/media-path-latency.sh [seconds=15] [viewer counts="1 4"] [loads="quiet busy"]
#   RECEIVER_ARGS="--Receiver:Viewer:MaxViewers=8" bench/drivers/media-path-latency.sh   (extra receiver options)
#   RECEIVER_DLL=bench/.publish/receiver/Receiver.Web.dll bench/drivers/media-path-latency.sh   (another receiver build,
#     e.g. the published one; the Release build by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-15}"
viewer_counts="${2:-1 4}"
loads="${3:-quiet busy}"
warmup=3
work="$(mktemp -d)"
control=17510 mirror=17610 web=18510
# The viewer benchmark's 720p60 clip (encoded once into bench/.cache), so both drivers send the same stream.
dotnet build -c Release -v q bench/Receiver.ViewerBench >/dev/null
clip="$(dotnet bench/Receiver.ViewerBench/bin/Release/net10.0/Receiver.ViewerBench.dll --clip 720p60 --repo "$PWD")"
dotnet build -c Release -v q src/Receiver.Web >/dev/null
dotnet build -c Release -v q tools/Receiver.Sender >/dev/null
dotnet build -c Release -v q bench/Receiver.ViewerProbe >/dev/null

busy=()
stop_busy() { for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; busy=(); }
dotnet "${RECEIVER_DLL:-src/Receiver.Web/bin/Release/net10.0/Receiver.Web.dll}" --urls "http://127.0.0.1:$web" \
  --Receiver:ControlPort=$control --Receiver:MirrorPort=$mirror --Receiver:Web:HttpsPort=0 \
  --Receiver:Discovery:Enabled=false --Receiver:DataDirectory="$work/data" --Receiver:Access:Mode=open \
  --Receiver:Viewer:Access=open --Logging:LogLevel:Default=Warning ${RECEIVER_ARGS:-} >"$work/receiver.log" 2>&1 &
receiver=$!
trap 'stop_busy; kill $receiver 2>/dev/null || true; wait $receiver 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$web/healthz" >/dev/null && break; sleep 0.1; done

run=0
for load in $loads; do
  for viewers in $viewer_counts; do
    run=$((run + 1))
    if [ "$load" = busy ]; then
      for _ in 1 2; do sh -c 'while :; do :; done' & busy+=($!); done
    fi
    dotnet tools/Receiver.Sender/bin/Release/net10.0/Receiver.Sender.dll mirror --host 127.0.0.1 --port $control \
      --input "$clip" --fps 60 --audio --seconds $((warmup + seconds + 8)) --json "$work/sender-$run.json" \
      >"$work/sender-$run.log" 2>&1 &
    sender=$!
    dotnet bench/Receiver.ViewerProbe/bin/Release/net10.0/Receiver.ViewerProbe.dll --url "http://127.0.0.1:$web" \
      --viewers "$viewers" --modes mse,webcodecs --warmup $warmup --seconds "$seconds" \
      | python3 -c "import json,sys; r=json.load(sys.stdin); r['load']='$load'; print(json.dumps(r))" >>"$work/runs.jsonl" \
      || echo "run $run ($load, $viewers viewers): the probe failed" >&2
    wait $sender || echo "run $run: the sender failed (see below)" >&2
    stop_busy
    sleep 1
  done
done
grep -E "fail|Fail|rror" "$work"/sender-*.log | head -5 >&2 || true
echo "receiver resident memory at the end: $(($(ps -o rss= -p $receiver) / 1024)) MiB"
python3 - "$work/runs.jsonl" "$(nproc)" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print(f"media path, {sys.argv[2]} cores, 1280x720@60 8 Mbit/s with sound, ms. header: access unit complete -> its send")
print("to that viewer starts (every video message); server: complete -> send finished, the receiver's")
print("receiver.media.send_latency histogram over the run (<= bucket bound) and the largest per-second max;")
print("audio: RTP arrival -> send starts (includes the transcoder)")
print("runtime: garbage collections gen0/gen1/gen2 and their total pause, bytes allocated per second, during the run;")
print("A/V: the median per-second SessionStats.audioOffsetMs (newest audio frame published - newest video frame)")
print("| load | viewers | header p50 / p95 / p99 / max | server p50 / p95 / p99 (<=) | server max | audio p50 / p99 | frames published | received per viewer | dropped | GCs / pause ms | alloc MB/s | A/V ms |")
print("|---|---:|---|---|---:|---|---:|---|---:|---|---:|---:|")
def f(d, k):
    v = d.get(k)
    return "n/a" if v is None else (v if isinstance(v, str) else f"{v:.2f}")
for r in runs:
    h, s, a, hist, rt = r["videoHeader"], r["server"], r["audioHeader"], r.get("serverHistogram", {}), r.get("runtime", {})
    load = "quiet" if r["load"] == "quiet" else "two busy loops"
    per = ", ".join(str(x) for x in r["framesReceivedPerViewer"])
    print(f"| {load} | {r['viewers']} | {f(h,'p50')} / {f(h,'p95')} / {f(h,'p99')} / {f(h,'max')} | "
          f"{f(hist,'p50')} / {f(hist,'p95')} / {f(hist,'p99')} | {f(s,'max')} | {f(a,'p50')} / {f(a,'p99')} | "
          f"{r['framesPublished']} | {per} | {s.get('droppedDuringRun', 'n/a')} | "
          f"{rt.get('gen0', 0):.0f}/{rt.get('gen1', 0):.0f}/{rt.get('gen2', 0):.0f} / {rt.get('gcPauseMs', 0):.1f} | {rt.get('allocatedMBps', 0):.1f} | {f(s, 'audioOffsetMs')} |")
PY
