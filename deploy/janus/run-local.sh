#!/usr/bin/env bash
# Starts Janus on loopback with this folder's configuration and prints its PID.
#   deploy/janus/run-local.sh [http-port] [ice-interfaces] [rtp-port-range]
# http-port: Janus's HTTP API (127.0.0.1 only), 8088 by default.
# ice-interfaces: interfaces or address prefixes offered to browsers ("lo" by default; e.g. "eth0" for the LAN).
# rtp-port-range: the UDP ports for browsers, "20000-40000" by default.
# Only the streaming plugin and the HTTP transport are loaded. Janus's output goes to <temp dir>/janus.log.
# Stop it with: kill <PID>
# JANUS_FOREGROUND=1 runs Janus in the foreground instead (output on stdout), as the container does.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${1:-8088}"
ice="${2:-lo}"
range="${3:-20000-40000}"
janus_bin="$(command -v janus || true)"
if [ -z "$janus_bin" ]; then
  echo "run-local.sh: janus is not installed (apt-get install janus)" >&2
  exit 1
fi
libdir=""
for d in /usr/lib/x86_64-linux-gnu/janus /usr/lib/aarch64-linux-gnu/janus /usr/lib/janus /usr/local/lib/janus /opt/janus/lib/janus; do
  if [ -f "$d/plugins/libjanus_streaming.so" ]; then libdir="$d"; break; fi
done
if [ -z "$libdir" ]; then
  echo "run-local.sh: Janus's streaming plugin was not found" >&2
  exit 1
fi
dir="$(mktemp -d "${TMPDIR:-/tmp}/janus-XXXXXX")"
mkdir -p "$dir/plugins" "$dir/transports" "$dir/events" "$dir/loggers"
# Only the streaming plugin and the HTTP transport: nothing else opens a port.
ln -s "$libdir/plugins/libjanus_streaming.so" "$dir/plugins/"
ln -s "$libdir/transports/libjanus_http.so" "$dir/transports/"
for f in "$here"/*.jcfg; do
  sed -e "s|@CONFIG_DIR@|$dir|g" -e "s|@HTTP_PORT@|$port|g" -e "s|@ICE_INTERFACES@|$ice|g" \
      -e "s|@RTP_PORT_RANGE@|$range|g" "$f" > "$dir/$(basename "$f")"
done
if [ "${JANUS_FOREGROUND:-0}" = 1 ]; then
  exec "$janus_bin" --configs-folder="$dir" --config="$dir/janus.jcfg"
fi
nohup "$janus_bin" --configs-folder="$dir" --config="$dir/janus.jcfg" > "$dir/janus.log" 2>&1 < /dev/null &
echo $!
