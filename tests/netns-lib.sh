# Shared set-up for tests that run programs inside a private network namespace that holds only "lo", with their own
# dbus and avahi-daemon (private /run via a mount namespace). Source it from bash; nothing touches a real interface.
#
# Outside the namespace: netns_require, netns_create, netns_write_avahi_conf, netns_exec_private, netns_begin_avahi.
# Inside (in the script netns_exec_private runs, after sourcing "$NETNS_LIB"): netns_private_run,
# netns_start_avahi, netns_stop_avahi, netns_wait_for.

NETNS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/netns-lib.sh
export NETNS_LIB

# netns_require TOOL...: exits 77 (skip) when a tool is missing or the caller is not root.
netns_require() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then echo "SKIP: $tool not found"; exit 77; fi
  done
  if [ "$(id -u)" != 0 ]; then echo "SKIP: not root"; exit 77; fi
}

# netns_create NAME: creates the namespace with a multicast-capable "lo" (exit 77 when that is not possible). On exit
# every process in it is ended, the namespace dropped, then netns_cleanup_extra runs if the caller defines it.
netns_create() {
  NETNS_NAME=$1
  trap netns_cleanup EXIT
  trap 'exit 1' INT TERM HUP
  # The first "ip netns add" on a machine makes /run/netns a shared mount point; two doing that at once can stack
  # two mounts and hide one namespace, so namespaces are created one at a time.
  local lock=(); command -v flock >/dev/null 2>&1 && lock=(flock /tmp/airplay-netns.lock)
  if ! "${lock[@]}" ip netns add "$NETNS_NAME"; then echo "SKIP: ip netns add failed"; exit 77; fi
  ip netns exec "$NETNS_NAME" ip link set lo up
  ip netns exec "$NETNS_NAME" ip link set lo multicast on
  ip netns exec "$NETNS_NAME" ip route add 224.0.0.0/4 dev lo
  # IPv6 multicast on lo: the kernel turns an ordinary route via lo into a reject route, so ff02::fb gets a "local"
  # route; then packets to it loop back to the namespace's own listeners. Without IPv6 this fails and is ignored.
  ip netns exec "$NETNS_NAME" ip -6 route add local ff02::fb/128 dev lo table local 2>/dev/null || true
}

netns_cleanup() {
  local pid
  # Every process in the namespace was started by this script; end them by pid, then drop the namespace.
  for pid in $(ip netns pids "$NETNS_NAME" 2>/dev/null); do kill "$pid" 2>/dev/null; done
  sleep 0.5
  for pid in $(ip netns pids "$NETNS_NAME" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  ip netns del "$NETNS_NAME" 2>/dev/null
  if declare -F netns_cleanup_extra >/dev/null; then netns_cleanup_extra; fi
}

# netns_write_avahi_conf FILE HOST-NAME [IPV6]: an avahi-daemon configuration that only uses "lo", over IPv4 and,
# when IPV6 is "yes", over IPv6 as well (default: IPv4 only).
netns_write_avahi_conf() {
  cat > "$1" <<CONF
[server]
host-name=$2
use-ipv4=yes
use-ipv6=${3:-no}
allow-interfaces=lo
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
publish-workstation=no
publish-hinfo=no
CONF
}

# netns_begin_avahi NAME [IPV6]: a fresh work directory in WORK (removed on exit), the namespace NAME-<pid>, and
# WORK/avahi-daemon.conf for it (IPv6 as in netns_write_avahi_conf).
netns_begin_avahi() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$WORK"
  netns_cleanup_extra() { rm -rf "$WORK"; }
  netns_create "$1-$$"
  netns_write_avahi_conf "$WORK/avahi-daemon.conf" netns-avahi "${2:-no}"
}

# netns_exec_private SCRIPT ARG...: runs bash SCRIPT in the namespace with a private mount namespace, in the
# background and waited for, so that a TERM reaches the trap (and the cleanup) at once.
netns_exec_private() {
  ip netns exec "$NETNS_NAME" unshare --mount --propagation private bash "$@" &
  wait $!
}

# netns_private_run: a private /run, so this namespace's dbus and avahi never see or touch the host's.
netns_private_run() {
  mount -t tmpfs tmpfs /run
  mkdir -p /run/dbus /run/avahi-daemon
}

# netns_start_avahi WORK: starts dbus and avahi-daemon (configured by WORK/avahi-daemon.conf) and waits until avahi
# answers; returns 1, with WORK/error.txt, when it does not.
netns_start_avahi() {
  dbus-daemon --system --fork --print-pid > "$1/dbus.pid"
  avahi-daemon -f "$1/avahi-daemon.conf" --no-drop-root --no-chroot --no-rlimits -D
  for _ in $(seq 1 50); do avahi-daemon -c 2>/dev/null && break; sleep 0.2; done
  avahi-daemon -c || { echo "avahi-daemon did not start" > "$1/error.txt"; return 1; }
}

# netns_stop_avahi WORK: stops what netns_start_avahi started.
netns_stop_avahi() {
  avahi-daemon -k 2>/dev/null
  kill "$(cat "$1/dbus.pid")" 2>/dev/null
}

# netns_wait_for SECONDS FILE TEXT...: waits until FILE holds each TEXT (fixed strings); returns 1 after SECONDS.
netns_wait_for() {
  local limit=$(( $1 * 10 )) file=$2 text found
  shift 2
  for _ in $(seq 1 "$limit"); do
    found=1
    for text in "$@"; do grep -qF -- "$text" "$file" 2>/dev/null || { found=0; break; }; done
    [ "$found" = 1 ] && return 0
    sleep 0.1
  done
  return 1
}
