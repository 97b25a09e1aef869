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

for tool in ip unshare ss dbus-daemon avahi-daemon uxplay; do
  if ! command -v "$tool" >/dev/null 2>&1; then echo "SKIP: $tool not found"; exit 77; fi
done
if [ "$(id -u)" != 0 ]; then echo "SKIP: not root"; exit 77; fi

NS="airplay-sender-$$"
mkdir -p "$WORK"
chmod 755 "$WORK"

cleanup() {
  # Every process in the namespace was started by this script; end them by pid, then drop the namespace.
  for pid in $(ip netns pids "$NS" 2>/dev/null); do kill "$pid" 2>/dev/null; done
  sleep 0.5
  for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if ! ip netns add "$NS"; then echo "SKIP: ip netns add failed"; exit 77; fi
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip link set lo multicast on
ip netns exec "$NS" ip route add 224.0.0.0/4 dev lo

cat > "$WORK/avahi-daemon.conf" <<'CONF'
[server]
host-name=netns-uxplay
use-ipv4=yes
use-ipv6=no
allow-interfaces=lo
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
publish-workstation=no
publish-hinfo=no
CONF

printf '%s\n' "$@" > "$WORK/sender-args.txt"

cat > "$WORK/inner.sh" <<'INNER'
set -u
WORK=$1; PORT=$2
mapfile -t SENDER < "$WORK/sender-args.txt"
# Private /run: this namespace's dbus and avahi never see or touch the host's.
mount -t tmpfs tmpfs /run
mkdir -p /run/dbus /run/avahi-daemon
dbus-daemon --system --fork --print-pid > "$WORK/dbus.pid"
avahi-daemon -f "$WORK/avahi-daemon.conf" --no-drop-root --no-chroot --no-rlimits -D
for _ in $(seq 1 50); do avahi-daemon -c 2>/dev/null && break; sleep 0.2; done
avahi-daemon -c || { echo "avahi-daemon did not start" > "$WORK/error.txt"; exit 1; }

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
avahi-daemon -k 2>/dev/null
kill "$(cat "$WORK/dbus.pid")" 2>/dev/null
exit 0
INNER

ip netns exec "$NS" unshare --mount --propagation private bash "$WORK/inner.sh" "$WORK" "$PORT" &
wait $!
exit 0
