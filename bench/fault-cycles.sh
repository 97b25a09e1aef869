#!/usr/bin/env bash
# Fault cycles: harm the receiver (its Release build in its own process, loopback, discovery and HTTPS off, open
# access), let it settle, and print one row per scenario of what it still holds against what it held before:
# sessions (REST API), file descriptors (/proc/PID/fd), threads (/proc/PID/task), child processes (ffmpeg),
# managed memory after a full collection (induced through the diagnostics port, read from /metrics) and RSS.
#
#   senders       1,000 simulated senders stopped at a random step (before SETUP, mid-SETUP, mid-stream, mid-audio)
#                 by a reset or by going silent, 16 at once; the control idle timeout is 5 s for this receiver
#   random-bytes  10,000 connections of random bytes to each TCP port (control, mirror, web), shipped caps
#   slow          5,000 slow connections (a request head never finished) from 16 loopback addresses, while a fresh
#                 GET /info is timed every 100 ms (p50/p99), shipped caps and deadlines
#   full-disk     automatic recording into a 2 MiB tmpfs (root only; skipped otherwise) while a sender streams
#
#   bench/fault-cycles.sh [all|senders|random-bytes|slow|full-disk] [--quick] [--senders 1000] [--concurrency 16]
#                         [--silent-timeout 5] [--connections 10000] [--slow 5000] [--slow-addresses 16]
#                         [--disk-seconds 20] [--seed 16] [--settle 90] [--out table.md]
# --quick: 100 senders, 1,000 connections, 1,000 slow connections, 15 s on the full disk (about 6 minutes here;
# the default run about 11). Each scenario's row goes to standard error as it ends, the table to standard output.
# Exit code 0 when every target is met. Needs ffmpeg; clips are encoded once into bench/.cache; the full-disk
# scenario mounts a tmpfs and needs root (it is skipped otherwise). Receiver logs stay in the printed work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release -v q src/Receiver.Web >/dev/null
dotnet build -c Release -v q bench/Receiver.FaultBench >/dev/null
exec dotnet bench/Receiver.FaultBench/bin/Release/net10.0/Receiver.FaultBench.dll --repo "$PWD" "$@"
