#!/usr/bin/env bash
# Name conflicts inside a private network namespace that holds only "lo", with its own dbus and avahi-daemon
# (private /run via a mount namespace). Nothing is sent on any real interface. Two cases run side by side:
#  - twins: two probes (different device ids) start together with the name "Twin Receiver";
#  - taken: avahi-publish already holds "Taken Receiver" as _airplay._tcp when a probe starts with that name.
# A watcher (the probe program's watch mode) lists the questions of every probe on the link, with their QU/QM bit.
# Then avahi-browse lists what is resolvable.
#
# usage: mdns-netns-conflict.sh <command to run the probe, e.g. "dotnet /path/Receiver.Discovery.Probe.dll"> <seconds>
# output: sections "### <name>" followed by their lines; exit 0 when the run completed, 77 when a tool is missing.
set -u
PROBE_CMD=${1:?probe command}
SECONDS_TO_RUN=${2:-20}

# shellcheck source=../../netns-lib.sh
. "$(dirname "$0")/../../netns-lib.sh"
netns_require ip unshare dbus-daemon avahi-daemon avahi-browse avahi-publish stdbuf

netns_begin_avahi airplay-conflict

cat > "$WORK/inner.sh" <<'INNER'
set -u
WORK=$1; PROBE_CMD=$2; SECONDS_TO_RUN=$3
. "$NETNS_LIB"
netns_private_run
netns_start_avahi "$WORK" || exit 1

stdbuf -oL avahi-publish -s "Taken Receiver" _airplay._tcp 7000 > "$WORK/publish.txt" 2>&1 &
PUBLISH=$!
for _ in $(seq 1 300); do grep -q "Established" "$WORK/publish.txt" && break; sleep 0.1; done
grep -q "Established" "$WORK/publish.txt" || echo "avahi-publish did not establish its service in 30 s" >> "$WORK/error.txt"

# The watcher's socket shares port 5353 like every responder here; the probes start once it listens.
$PROBE_CMD watch lo "$SECONDS_TO_RUN" > "$WORK/watch.txt" 2>&1 &
WATCH=$!
netns_wait_for 30 "$WORK/watch.txt" "watch: listening" || echo "the probe watcher did not listen within 30 s" >> "$WORK/error.txt"

$PROBE_CMD lo "$SECONDS_TO_RUN" "Twin Receiver" 02:11:22:33:44:55 7000 > "$WORK/twin-1.txt" 2>&1 &
TWIN1=$!
$PROBE_CMD lo "$SECONDS_TO_RUN" "Twin Receiver" 02:22:33:44:55:66 7001 > "$WORK/twin-2.txt" 2>&1 &
TWIN2=$!
$PROBE_CMD lo "$SECONDS_TO_RUN" "Taken Receiver" 02:33:44:55:66:77 7002 > "$WORK/taken.txt" 2>&1 &
TAKEN=$!
DEADLINE=$(( $(date +%s) + SECONDS_TO_RUN - 3 ))

# Wait until all three have announced (or give up two seconds before they would stop), browse, then end them:
# their goodbyes are not under test here.
for _ in $(seq 1 $((SECONDS_TO_RUN * 10 - 20))); do
  n=$(cat "$WORK/twin-1.txt" "$WORK/twin-2.txt" "$WORK/taken.txt" 2>/dev/null | grep -c "probe: advertised as")
  [ "$n" -ge 3 ] && break
  sleep 0.1
done
# avahi-browse -t dumps what avahi has cached and resolved so far; a service announced a moment ago (a renamed
# one is announced after its extra probe round) may not be resolved yet. Browse until all four AirPlay services and
# all four RAOP services resolve, or the time is up: what is listed then is what the test judges.
while [ "$(date +%s)" -lt "$DEADLINE" ]; do
  avahi-browse -rpkt _airplay._tcp > "$WORK/airplay.txt" 2>&1
  avahi-browse -rpkt _raop._tcp > "$WORK/raop.txt" 2>&1
  a=$(grep -c '^=.*;IPv4;\(Twin\|Taken\)\\032Receiver' "$WORK/airplay.txt")
  r=$(grep -c '^=.*;IPv4;[0-9A-F]*\\064\(Twin\|Taken\)\\032Receiver' "$WORK/raop.txt")
  [ "$a" -ge 4 ] && [ "$r" -ge 3 ] && break
  sleep 0.5
done
kill "$TWIN1" "$TWIN2" "$TAKEN" "$PUBLISH" "$WATCH" 2>/dev/null
wait "$TWIN1" "$TWIN2" "$TAKEN" "$PUBLISH" "$WATCH" 2>/dev/null
netns_stop_avahi "$WORK"
exit 0
INNER

netns_exec_private "$WORK/inner.sh" "$WORK" "$PROBE_CMD" "$SECONDS_TO_RUN"
for part in error publish watch twin-1 twin-2 taken airplay raop; do
  echo "### $part"
  cat "$WORK/$part.txt" 2>/dev/null
done
exit 0
