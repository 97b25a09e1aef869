#!/usr/bin/env bash
# AES-128-CTR of this receiver against OpenSSL on this machine. For each run and size it measures, in alternating
# order, `openssl speed -evp aes-128-ctr -bytes SIZE -seconds S` and the benchmark project's `aes-speed` (AesCtr in
# place over one continuous keystream, the same way: a fixed time, bytes divided by CPU time) with the AES-NI
# keystream and with the OpenSSL-ECB fallback, then prints the medians over the runs and the ratios to OpenSSL.
# OpenSSL divides by its user CPU time, aes-speed by its thread's CPU time, so other work on the machine changes
# little; --elapsed divides both by wall-clock time instead (OpenSSL's -elapsed), which only means something on a
# quiet machine. Medians of alternating runs, never single runs.
#
#   bench/aes-vs-openssl.sh [--elapsed] [runs=7] [sizes=16384,262144] [seconds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
elapsed=()
if [[ "${1:-}" == "--elapsed" ]]; then elapsed=(elapsed); shift; fi
runs="${1:-7}"
sizes="${2:-16384,262144}"
seconds="${3:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build -c Release -v q bench/Receiver.Benchmarks >/dev/null
bench=bench/Receiver.Benchmarks/bin/Release/net10.0/Receiver.Benchmarks.dll
openssl_flags=()
if (( ${#elapsed[@]} )); then openssl_flags=(-elapsed); fi

openssl_speed() { # size -> bytes per second
  openssl speed "${openssl_flags[@]}" -evp aes-128-ctr -bytes "$1" -seconds "$seconds" 2>/dev/null \
    | awk '/^AES-128-CTR/ { v = $2; sub(/k$/, "", v); printf "%.0f\n", v * 1000 }'
}

ours() { # size keystream -> bytes per second
  dotnet "$bench" aes-speed "$1" "$seconds" "$2" "${elapsed[@]}"
}

for run in $(seq 1 "$runs"); do
  for size in ${sizes//,/ }; do
    if (( run % 2 )); then
      openssl_speed "$size" >"$work/openssl-$size-$run"
      ours "$size" AesNi >"$work/aesni-$size-$run"
      ours "$size" Platform >"$work/platform-$size-$run"
    else
      ours "$size" Platform >"$work/platform-$size-$run"
      ours "$size" AesNi >"$work/aesni-$size-$run"
      openssl_speed "$size" >"$work/openssl-$size-$run"
    fi
    awk -v r="$run" -v s="$size" '{ v[NR] = $1 / 1e9 }
      END { printf "run %d, %d bytes: openssl %.2f, AES-NI %.2f, OpenSSL-ECB %.2f GB/s\n", r, s, v[1], v[2], v[3] }' \
      "$work/openssl-$size-$run" "$work/aesni-$size-$run" "$work/platform-$size-$run" >&2
  done
done

python3 - "$work" "$runs" "$sizes" "${#elapsed[@]}" <<'PY'
import statistics, sys
work, runs, sizes, elapsed = sys.argv[1], int(sys.argv[2]), [int(s) for s in sys.argv[3].split(",")], sys.argv[4] != "0"
read = lambda name, size: [int(open(f"{work}/{name}-{size}-{run}").read()) / 1e9 for run in range(1, runs + 1)]
print(f"AES-128-CTR, in place, {runs} alternating runs, medians; GB/s = 10^9 bytes per "
      + ("wall-clock second" if elapsed else "CPU second"))
print()
print("| size | OpenSSL `speed -evp aes-128-ctr` | OpenSSL-ECB keystream (before) | ratio | AES-NI keystream (after) | ratio | per-run ratios after |")
print("|---:|---:|---:|---:|---:|---:|---|")
for size in sizes:
    openssl, platform, aesni = read("openssl", size), read("platform", size), read("aesni", size)
    o, p, a = statistics.median(openssl), statistics.median(platform), statistics.median(aesni)
    per_run = ", ".join(f"{x / y:.2f}" for x, y in zip(aesni, openssl))
    print(f"| {size:,} | {o:.2f} | {p:.2f} | {p / o:.2f} | {a:.2f} | {a / o:.2f} | {per_run} |")
PY
