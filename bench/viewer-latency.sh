#!/usr/bin/env bash
# The viewer benchmark: the sender simulator (a phone's boot clock) sends a pre-encoded clip in real time to the
# receiver (Release build, its own process, loopback), the viewer page plays it in headless Chromium, and one table
# is printed: player (MSE, WebCodecs) × sound (on, off) × size (720p60 8 Mbit/s, 1080p60 12 Mbit/s) × machine (quiet,
# two busy loops) → frames shown, latency p50/p95/p99, A/V offset, time to steady latency, receiver-added latency.
# Clips are encoded once into bench/.cache. Needs ffmpeg and /usr/bin/chromium.
#
#   bench/viewer-latency.sh [--players mse,webcodecs] [--sound on,off] [--sizes 720p60,1080p60] [--load quiet,busy]
#                           [--seconds 20] [--repeat 1] [--out table.md]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release -v q src/Receiver.Web >/dev/null
dotnet build -c Release -v q tools/Receiver.Sender >/dev/null
dotnet build -c Release -v q bench/Receiver.ViewerBench >/dev/null
exec dotnet bench/Receiver.ViewerBench/bin/Release/net10.0/Receiver.ViewerBench.dll --repo "$PWD" "$@"
