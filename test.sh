#!/usr/bin/env bash
# Runs the whole test suite. On a fresh Debian/Ubuntu machine (as root) it first installs what the
# tests need: ffmpeg, Chromium, avahi and dbus (mDNS tests run in a private network namespace),
# iproute2, libnss3-tools (certutil: the HTTPS browser test trusts the receiver's certificate in a private profile),
# Janus (WebRTC viewing), UxPlay (the independent receiver the sender simulator is checked against) and python3-srp (an
# independent SRP client for PIN pairing).
# Test results (TRX) go to ./TestResults.
set -uo pipefail
cd "$(dirname "$0")"

# ./test.sh --fast leaves out the tests that need a browser, an external program (ffmpeg, avahi, UxPlay, python,
# node, docker) or that measure real time (trait Lane = browser / external / realtime); everything else still runs.
filter=()
args=()
for arg in "$@"; do
  if [ "$arg" = "--fast" ]; then
    filter=(--filter "Lane!=browser&Lane!=external&Lane!=realtime")
  else
    args+=("$arg")
  fi
done

need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v avahi-browse >/dev/null 2>&1 || need+=(avahi-utils)
command -v avahi-daemon >/dev/null 2>&1 || need+=(avahi-daemon)
command -v dbus-daemon >/dev/null 2>&1 || need+=(dbus)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
# certutil: the HTTPS browser test trusts the receiver's certificate in a private Chromium profile (NSS database).
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
# curl: the namespace security test calls the receiver from inside a private network namespace.
command -v curl >/dev/null 2>&1 || need+=(curl)
# python3-srp (+ python3-cryptography for AES-GCM): an independent SRP-6a client for the PIN pairing test
# (Debian's python3 lives in /usr/bin).
{ python3 -c 'import srp, cryptography' || /usr/bin/python3 -c 'import srp, cryptography'; } >/dev/null 2>&1 \
  || need+=(python3-srp python3-cryptography)
# janus: the WebRTC viewing test runs its own Janus (deploy/janus/run-local.sh) on loopback.
command -v janus >/dev/null 2>&1 || need+=(janus)
command -v uxplay >/dev/null 2>&1 || need+=(uxplay gstreamer1.0-libav gstreamer1.0-plugins-good gstreamer1.0-plugins-bad)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
      || apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
      || echo "test.sh: could not install some of: ${need[*]} (tests that need them will say so and skip)"
  else
    echo "test.sh: missing ${need[*]}; run as root on Debian/Ubuntu to install them (tests that need them will skip)"
  fi
fi

if [ -f src/Receiver.Web/package.json ] && command -v npm >/dev/null 2>&1; then
  (cd src/Receiver.Web && npm install --no-audit --no-fund --silent) || echo "test.sh: npm install failed"
fi

rm -rf TestResults
dotnet test Receiver.sln -m:1 --configuration Release --logger "trx" --logger "console;verbosity=normal" --results-directory TestResults "${filter[@]}" "${args[@]}"
