#!/usr/bin/env bash
# The advertisement follows the network, inside a private network namespace that holds only "lo", with its own dbus
# and avahi-daemon (private /run via a mount namespace). Nothing is sent on any real interface.
#  1. lo is up but has no IPv4 address: no interface is usable, the probe waits.
#  2. 127.0.0.1 comes (back): the probe advertises, avahi resolves the service and host at 127.0.0.1.
#  3. 10.77.0.1 is added and 127.0.0.1 removed: avahi resolves the same name to 10.77.0.1.
#
# usage: mdns-netns-network-change.sh <command to run the probe, e.g. "dotnet /path/Receiver.Discovery.Probe.dll"> <seconds>
# (seconds: an upper bound; the script ends the probe itself)
# output: sections "### <name>" followed by their lines; exit 0 when the run completed, 77 when a tool is missing.
set -u
PROBE_CMD=${1:?probe command}
SECONDS_TO_RUN=${2:-60}

# shellcheck source=../../netns-lib.sh
. "$(dirname "$0")/../../netns-lib.sh"
netns_require ip unshare dbus-daemon avahi-daemon avahi-browse avahi-resolve-host-name stdbuf

netns_begin_avahi airplay-netchange

cat > "$WORK/inner.sh" <<'INNER'
set -u
WORK=$1; PROBE_CMD=$2; SECONDS_TO_RUN=$3
. "$NETNS_LIB"
netns_private_run
HOST=airplay-021122334455.local

# resolve_until SECONDS ADDRESS FILE: asks avahi for the host's IPv4 address until it gives ADDRESS.
resolve_until() {
  for _ in $(seq 1 "$1"); do
    avahi-resolve-host-name -4 "$HOST" > "$3" 2>&1
    grep -qF "$2" "$3" && return 0
    sleep 1
  done
  return 1
}

# 1. No IPv4 address on lo (removing the last one also drops lo's IPv4 routes).
ip addr del 127.0.0.1/8 dev lo
$PROBE_CMD lo "$SECONDS_TO_RUN" > "$WORK/probe.txt" 2>&1 &
PROBE=$!
netns_wait_for 30 "$WORK/probe.txt" "probe: waiting for a usable interface" \
  || echo "the probe did not report waiting for an interface" >> "$WORK/error.txt"
sleep 1

# 2. The address comes: the probe must advertise without being restarted.
ip addr add 127.0.0.1/8 dev lo
ip route replace 224.0.0.0/4 dev lo
netns_wait_for 30 "$WORK/probe.txt" "probe: advertised as" || echo "the probe did not advertise after the address came" >> "$WORK/error.txt"
netns_start_avahi "$WORK" || { kill "$PROBE"; exit 1; }
stdbuf -oL avahi-browse -rpk _airplay._tcp > "$WORK/monitor.txt" 2>&1 &
MON=$!
netns_wait_for 30 "$WORK/monitor.txt" "=;lo;IPv4;Probe" || echo "avahi did not resolve the service at the first address" >> "$WORK/error.txt"
avahi-browse -rpkt _airplay._tcp > "$WORK/first.txt" 2>&1
resolve_until 20 127.0.0.1 "$WORK/first-host.txt" || echo "avahi did not resolve the host to 127.0.0.1" >> "$WORK/error.txt"

# 3. The address changes.
ip addr add 10.77.0.1/32 dev lo
ip addr del 127.0.0.1/8 dev lo
ip route replace 224.0.0.0/4 dev lo
resolve_until 30 10.77.0.1 "$WORK/second-host.txt" || echo "avahi did not resolve the host to 10.77.0.1" >> "$WORK/error.txt"
avahi-browse -rpkt _airplay._tcp > "$WORK/second.txt" 2>&1

kill -TERM "$PROBE"
wait "$PROBE"; echo $? > "$WORK/probe-exit.txt"
kill "$MON" 2>/dev/null
wait "$MON" 2>/dev/null
netns_stop_avahi "$WORK"
exit 0
INNER

netns_exec_private "$WORK/inner.sh" "$WORK" "$PROBE_CMD" "$SECONDS_TO_RUN"
for part in error probe probe-exit first first-host second second-host monitor; do
  echo "### $part"
  cat "$WORK/$part.txt" 2>/dev/null
done
exit 0
