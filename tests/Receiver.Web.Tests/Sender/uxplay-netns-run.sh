#!/usr/bin/env bash
# Runs UxPlay (the independent reference receiver) headless inside a private network namespace that holds only
# "lo", with its own dbus and avahi-daemon (private /run via a mount namespace), then runs a sender command in the
# same namespace against it. UxPlay dumps the video it decrypted with -vdmp. Nothing touches a real interface.
#
# usage: uxplay-netns-run.sh <work dir> <uxplay base port> <sender command...>
#   the sender command may use {PORT} for UxPlay's control port.
#   extra UxPlay options may be given in $UXPLAY_EXTRA_ARGS (e.g. "-h265").
# output files in <work dir>: control-port.txt, uxplay.log, sender.out, sender-exit.txt, uxdump.h264 (UxPlay's -vdmp file)
# exit: 0 when the run completed (see sender-exit.txt), 77 when a tool or privilege is missing.
set -u
WORK=${1:?work dir}
PORT=${2:?port}
shift 2

# shellcheck source=../../netns-lib.sh
. "$(dirname "$0")/../../netns-lib.sh"
netns_require ip unshare ss dbus-daemon avahi-daemon uxplay

mkdir -p "$WORK"
chmod 755 "$WORK"
netns_create "airplay-sender-$$"
netns_write_avahi_conf "$WORK/avahi-daemon.conf" netns-uxplay

printf '%s\n' "$@" > "$WORK/sender-args.txt"

cat > "$WORK/inner.sh" <<'INNER'
set -u
WORK=$1; PORT=$2
mapfile -t SENDER < "$WORK/sender-args.txt"
. "$NETNS_LIB"
netns_private_run
netns_start_avahi "$WORK" || exit 1

cd "$WORK"
uxplay -nh -n Ref -vs 0 -as 0 -nc -p "$PORT" -vdmp "$WORK/uxdump" ${UXPLAY_EXTRA_ARGS:-} > "$WORK/uxplay.log" 2>&1 &
UX=$!
# UxPlay 1.62 opens its RTSP listener on one of the ports PORT..PORT+2 (the others open per session): use the one
# that listens once the server is up.
CONTROL=""
for _ in $(seq 1 50); do
  CONTROL=$(ss -ltnH 2>/dev/null | awk '{print $4}' | sed 's/.*://' | awk -v lo="$PORT" '$1>=lo && $1<=lo+2' | head -n1)
  [ -n "$CONTROL" ] && break
  sleep 0.2
done
echo "${CONTROL:-none}" > "$WORK/control-port.txt"
SENDER=("${SENDER[@]//\{PORT\}/$CONTROL}")
"${SENDER[@]}" > "$WORK/sender.out" 2>&1
echo $? > "$WORK/sender-exit.txt"
sleep 1
kill "$UX" 2>/dev/null
wait "$UX" 2>/dev/null
netns_stop_avahi "$WORK"
exit 0
INNER

netns_exec_private "$WORK/inner.sh" "$WORK" "$PORT"
exit 0
