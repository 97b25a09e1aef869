#!/usr/bin/env bash
# PIN pairing round trip, measured from the sender: starts a receiver in PIN mode on loopback (discovery off,
# a private data directory) and runs the sender simulator N times, each as a new phone (a new Ed25519 identity
# and device id) that reads the PIN from the admin API, pairs and mirrors a short pattern. Prints, per step, the
# median and the spread of what the sender waited for, and the whole pairing (pair-pin-start to pair-verify-2).
#
#   bench/drivers/pairing-roundtrip.sh [runs=15]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-15}"
work="$(mktemp -d)"
control=17300 mirror=17400 web=18300
dotnet build -c Release -v q src/Receiver.Web >/dev/null
dotnet build -c Release -v q tools/Receiver.Sender >/dev/null
dotnet src/Receiver.Web/bin/Release/net10.0/Receiver.Web.dll --urls "http://127.0.0.1:$web" \
  --Receiver:ControlPort=$control --Receiver:MirrorPort=$mirror --Receiver:Discovery:Enabled=false \
  --Receiver:DataDirectory="$work/data" --Receiver:Access:Mode=pin --Logging:LogLevel:Default=Warning >"$work/receiver.log" 2>&1 &
receiver=$!
trap 'kill $receiver 2>/dev/null || true; wait $receiver 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$web/healthz" >/dev/null && break; sleep 0.1; done
for i in $(seq 1 "$runs"); do
  id=$(printf 'AA:BB:CC:00:%02X:%02X' $((i / 256)) $((i % 256)))
  dotnet tools/Receiver.Sender/bin/Release/net10.0/Receiver.Sender.dll mirror --host 127.0.0.1 --port $control \
    --pattern 320x240@30 --seconds 0.5 --fast --pin auto --admin-url "http://127.0.0.1:$web" \
    --device-id "$id" --identity "$work/phone-$i.key" --json "$work/run-$i.json" >/dev/null
done
python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
steps = ["pair-pin-start", "pair-setup-pin-1", "pair-setup-pin-2", "pair-setup-pin-3", "pair-verify-1", "pair-verify-2"]
times = {s: [] for s in steps + ["pairing"]}
for i in range(1, runs + 1):
    session = json.load(open(f"{work}/run-{i}.json"))["sessions"][0]
    by = {s["name"]: s["ms"] for s in session["steps"]}
    for s in steps:
        times[s].append(by[s])
    times["pairing"].append(sum(by[s] for s in steps))
print(f"{runs} pairings, each a new phone; ms as the sender waited (median, min-max):")
for s, v in times.items():
    print(f"  {s:18} {statistics.median(v):8.2f}   {min(v):.2f}-{max(v):.2f}")
PY
