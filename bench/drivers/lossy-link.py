#!/usr/bin/env python3
"""A point-to-point link between two network namespaces that drops a share of the packets, for the WebRTC benchmark.

    lossy-link.py LOSS_PERCENT NAMESPACE_A TUN_A NAMESPACE_B TUN_B

TUN_A and TUN_B are persistent tun devices (`ip tuntap add mode tun`) already made in their namespaces. This process
attaches to each from inside its namespace (setns), then copies every IP packet that leaves one into the other,
dropping each with probability LOSS_PERCENT / 100, in both directions, until it is killed. The kernel of the
benchmark machines has no netem qdisc, no tc classifiers and no netfilter, so the loss is made here. Nothing outside
the two namespaces is touched. On SIGTERM it prints how many packets it forwarded and dropped.
"""
import ctypes
import fcntl
import os
import random
import select
import signal
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL("libc.so.6", use_errno=True)


def attach(namespace, name):
    target = os.open(f"/run/netns/{namespace}", os.O_RDONLY)
    try:
        if libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns into {namespace}")
        fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
        return fd
    finally:
        os.close(target)


def main():
    loss = float(sys.argv[1]) / 100
    a = attach(sys.argv[2], sys.argv[3])
    b = attach(sys.argv[4], sys.argv[5])
    peer = {a: b, b: a}
    counts = {"forwarded": 0, "dropped": 0}

    def stop(*_):
        print(f"lossy-link {sys.argv[1]} %: forwarded {counts['forwarded']}, dropped {counts['dropped']}", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        ready, _, _ = select.select([a, b], [], [])
        for fd in ready:
            packet = os.read(fd, 65536)
            if loss > 0 and random.random() < loss:
                counts["dropped"] += 1
                continue
            os.write(peer[fd], packet)
            counts["forwarded"] += 1


if __name__ == "__main__":
    main()
