#!/usr/bin/env bash
# Runs the discovery probe inside a private network namespace that holds only "lo", with its own dbus and
# avahi-daemon (private /run via a mount namespace), and prints what avahi-browse saw while the probe
# advertised and after it stopped, over IPv4 and (where the kernel has it) IPv6, and the host's AAAA record. Nothing is sent on any real interface.
#
# usage: mdns-netns-check.sh <command to run the probe, e.g. "dotnet /path/Receiver.Discovery.Probe.dll"> <seconds>
# (seconds: an upper bound; the script ends the probe itself once avahi has resolved what it publishes)
# output: sections "### <name>" followed by their lines; exit 0 when the run completed, 77 when a tool is missing.
set -u
PROBE_CMD=${1:?probe command}
SECONDS_TO_RUN=${2:-60}

# shellcheck source=../../netns-lib.sh
. "$(dirname "$0")/../../netns-lib.sh"
netns_require ip unshare dbus-daemon avahi-daemon avahi-browse avahi-resolve-host-name stdbuf

netns_begin_avahi airplay-mdns yes

cat > "$WORK/inner.sh" <<'INNER'
set -u
WORK=$1; PROBE_CMD=$2; SECONDS_TO_RUN=$3
. "$NETNS_LIB"
netns_private_run

# IPv6 is checked where the kernel has it (lo then holds ::1); without it the IPv4 half still runs.
if ip -6 addr show dev lo 2>/dev/null | grep -q "::1"; then V6=yes; else V6=no; fi
echo "$V6" > "$WORK/ipv6.txt"
AIRPLAY_SEEN=("=;lo;IPv4;Probe"); RAOP_SEEN=("=;lo;IPv4;"); AIRPLAY_GONE=("-;lo;IPv4;Probe")
if [ "$V6" = yes ]; then AIRPLAY_SEEN+=("=;lo;IPv6;Probe"); RAOP_SEEN+=("=;lo;IPv6;"); AIRPLAY_GONE+=("-;lo;IPv6;Probe"); fi

# The probe starts first and has finished its announcements before avahi-daemon runs, so avahi learns the
# services only by querying: this exercises the responder's answers, not just its announcements.
$PROBE_CMD lo "$SECONDS_TO_RUN" > "$WORK/probe.txt" 2>&1 &
PROBE=$!
netns_wait_for 30 "$WORK/probe.txt" "probe: advertised as" || echo "the probe did not announce its names" >> "$WORK/error.txt"
sleep 2
netns_start_avahi "$WORK" || { kill "$PROBE"; exit 1; }

stdbuf -oL avahi-browse -rpk _airplay._tcp > "$WORK/monitor-airplay.txt" 2>&1 &
MON1=$!
stdbuf -oL avahi-browse -rpk _raop._tcp > "$WORK/monitor-raop.txt" 2>&1 &
MON2=$!
# Browse once avahi has resolved both services over both address families (however busy the machine is).
netns_wait_for 30 "$WORK/monitor-airplay.txt" "${AIRPLAY_SEEN[@]}" \
  && netns_wait_for 10 "$WORK/monitor-raop.txt" "${RAOP_SEEN[@]}" \
  || echo "avahi did not resolve the services in 40 s" >> "$WORK/error.txt"
avahi-browse -rpkt _airplay._tcp > "$WORK/airplay-during.txt" 2>&1
avahi-browse -rpkt _raop._tcp > "$WORK/raop-during.txt" 2>&1
avahi-resolve-host-name -6 airplay-021122334455.local > "$WORK/host-ipv6.txt" 2>&1

# Stop the probe: it sends goodbyes, and the browsers see the services go.
kill -TERM "$PROBE"
wait "$PROBE"; echo $? > "$WORK/probe-exit.txt"
netns_wait_for 15 "$WORK/monitor-airplay.txt" "${AIRPLAY_GONE[@]}" \
  && netns_wait_for 5 "$WORK/monitor-raop.txt" "-;lo;IPv4;" \
  || echo "avahi did not see the goodbyes in 20 s" >> "$WORK/error.txt"
avahi-browse -rpkt _airplay._tcp > "$WORK/airplay-after.txt" 2>&1
avahi-browse -rpkt _raop._tcp > "$WORK/raop-after.txt" 2>&1
kill "$MON1" "$MON2" 2>/dev/null
wait "$MON1" "$MON2" 2>/dev/null
netns_stop_avahi "$WORK"
exit 0
INNER

netns_exec_private "$WORK/inner.sh" "$WORK" "$PROBE_CMD" "$SECONDS_TO_RUN"
for part in error ipv6 probe probe-exit airplay-during raop-during host-ipv6 airplay-after raop-after monitor-airplay monitor-raop; do
  echo "### $part"
  cat "$WORK/$part.txt" 2>/dev/null
done
exit 0
