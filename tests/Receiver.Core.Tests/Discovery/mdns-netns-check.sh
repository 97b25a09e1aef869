#!/usr/bin/env bash
# Runs the discovery probe inside a private network namespace that holds only "lo", with its own dbus and
# avahi-daemon (private /run via a mount namespace), and prints what avahi-browse saw while the probe
# advertised and after it stopped. Nothing is sent on any real interface.
#
# usage: mdns-netns-check.sh <command to run the probe, e.g. "dotnet /path/Receiver.Discovery.Probe.dll"> <seconds>
# output: sections "### <name>" followed by their lines; exit 0 when the run completed, 77 when a tool is missing.
set -u
PROBE_CMD=${1:?probe command}
SECONDS_TO_RUN=${2:-8}

for tool in ip unshare dbus-daemon avahi-daemon avahi-browse stdbuf; do
  if ! command -v "$tool" >/dev/null 2>&1; then echo "SKIP: $tool not found"; exit 77; fi
done
if [ "$(id -u)" != 0 ]; then echo "SKIP: not root"; exit 77; fi

NS="airplay-test-$$"
WORK=$(mktemp -d /tmp/airplay-mdns.XXXXXX)
chmod 755 "$WORK"

cleanup() {
  # Every process in the namespace was started by this script; end them by pid, then drop the namespace.
  for pid in $(ip netns pids "$NS" 2>/dev/null); do kill "$pid" 2>/dev/null; done
  sleep 0.5
  for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if ! ip netns add "$NS"; then echo "SKIP: ip netns add failed"; exit 77; fi
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip link set lo multicast on
ip netns exec "$NS" ip route add 224.0.0.0/4 dev lo

cat > "$WORK/avahi-daemon.conf" <<'CONF'
[server]
host-name=netns-avahi
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

cat > "$WORK/inner.sh" <<'INNER'
set -u
WORK=$1; PROBE_CMD=$2; SECONDS_TO_RUN=$3
# Private /run: this namespace's dbus and avahi never see or touch the host's.
mount -t tmpfs tmpfs /run
mkdir -p /run/dbus /run/avahi-daemon
# The probe starts first and has finished its announcements before avahi-daemon runs, so avahi learns the
# services only by querying: this exercises the responder's answers, not just its announcements.
$PROBE_CMD lo "$SECONDS_TO_RUN" > "$WORK/probe.txt" 2>&1 &
PROBE=$!
sleep 2
dbus-daemon --system --fork --print-pid > "$WORK/dbus.pid"
avahi-daemon -f "$WORK/avahi-daemon.conf" --no-drop-root --no-chroot --no-rlimits -D
for _ in $(seq 1 50); do avahi-daemon -c 2>/dev/null && break; sleep 0.2; done
avahi-daemon -c || { echo "avahi-daemon did not start" > "$WORK/error.txt"; kill "$PROBE"; exit 1; }

stdbuf -oL avahi-browse -rpk _airplay._tcp > "$WORK/monitor-airplay.txt" 2>&1 &
MON1=$!
stdbuf -oL avahi-browse -rpk _raop._tcp > "$WORK/monitor-raop.txt" 2>&1 &
MON2=$!
sleep 3
avahi-browse -rpkt _airplay._tcp > "$WORK/airplay-during.txt" 2>&1
avahi-browse -rpkt _raop._tcp > "$WORK/raop-during.txt" 2>&1
wait "$PROBE"; echo $? > "$WORK/probe-exit.txt"
sleep 3
avahi-browse -rpkt _airplay._tcp > "$WORK/airplay-after.txt" 2>&1
avahi-browse -rpkt _raop._tcp > "$WORK/raop-after.txt" 2>&1
kill "$MON1" "$MON2" 2>/dev/null
wait "$MON1" "$MON2" 2>/dev/null
avahi-daemon -k 2>/dev/null
kill "$(cat "$WORK/dbus.pid")" 2>/dev/null
exit 0
INNER

# Run in the background and wait, so that a TERM reaches the trap (and the cleanup) at once.
ip netns exec "$NS" unshare --mount --propagation private bash "$WORK/inner.sh" "$WORK" "$PROBE_CMD" "$SECONDS_TO_RUN" &
wait $!
for part in error probe probe-exit airplay-during raop-during airplay-after raop-after monitor-airplay monitor-raop; do
  echo "### $part"
  cat "$WORK/$part.txt" 2>/dev/null
done
exit 0
