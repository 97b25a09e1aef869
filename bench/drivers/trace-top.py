#!/usr/bin/env python3
"""Top functions of a dotnet-trace thread-time trace (profile dotnet-sampled-thread-time) converted to speedscope
JSON, counting only samples of threads that were working: the sampler records every thread every millisecond, so a
sample with a wait in its stack (a semaphore, monitor, event, the socket engine's epoll, an idle reader) is left
out. The sampler's own last frame (CPU_TIME: in managed code; UNMANAGED_CODE_TIME: in native code such as OpenSSL
or a system call) is dropped, so "self" is the innermost managed function. Prints inclusive and self shares of the
working samples.

    bench/drivers/trace-top.py trace.speedscope.json [top=25]
"""
import collections, json, sys

WAITS = ("LowLevelLifoSemaphore", "Monitor.Wait", "WaitHandle.Wait", "ManualResetEventSlim.Wait", "Thread.Sleep",
         "SocketAsyncEngine.EventLoop", "FileSystemWatcher", "TimerQueue.TimerThread", "GateThreadStart",
         "ConsoleLoggerProcessor", "Heartbeat.TimerLoop", "Program.<Main>", "Task.InternalWait", "?!?")

doc = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
names = [f["name"] for f in doc["shared"]["frames"]]
inclusive, exclusive, running = collections.Counter(), collections.Counter(), 0
for profile in doc["profiles"]:
    if profile.get("type") == "sampled":
        stacks, weights = profile["samples"], profile.get("weights") or [1] * len(profile["samples"])
    else:  # evented: rebuild stacks between open and close events
        stacks, weights, open_ = [], [], []
        last = None
        for event in profile["events"]:
            if last is not None and open_:
                stacks.append(list(open_)); weights.append(event["at"] - last)
            last = event["at"]
            if event["type"] == "O":
                open_.append(event["frame"])
            else:
                open_.pop()
    for stack, weight in zip(stacks, weights):
        if not stack or weight <= 0:
            continue
        frames = [names[i] for i in stack]
        while frames and frames[-1] in ("CPU_TIME", "UNMANAGED_CODE_TIME"):
            frames.pop()
        if not frames or any(w in f for f in frames for w in WAITS) or frames[-1].endswith("WorkerThreadStart()"):
            continue  # an idle pool thread shows as its start frame with native (wait) time under it
        leaf = frames[-1]
        running += weight
        exclusive[leaf] += weight
        for name in set(frames):
            inclusive[name] += weight

print(f"working thread time sampled: {running:.0f} ms")
print("| function | inclusive ms | inclusive | self ms |")
print("|---|---:|---:|---:|")
skip = ("Thread.StartCallback", "WorkerThreadStart", "(Non-Activities)", "Threads", "Dispatch()", "ExecutionContext.Run",
        "Process64 ", "StateMachineBox", "AsyncMethodBuilderCore.Start", "ExecutionContextCallback", "IThreadPoolWorkItem.Execute")
shown = 0
for name, weight in inclusive.most_common():
    if any(s in name for s in skip) or name.startswith("Thread ("):
        continue
    print(f"| {name[:110]} | {weight:.0f} | {100 * weight / running:.1f} % | {exclusive[name]:.0f} |")
    shown += 1
    if shown >= top:
        break
print()
print("| self (innermost managed frame) | ms | share |")
print("|---|---:|---:|")
for name, weight in exclusive.most_common(top):
    print(f"| {name[:110]} | {weight:.0f} | {100 * weight / running:.1f} % |")
