using System.Security.Cryptography;

namespace Receiver.Core.Access;

/// <summary>
/// Unknown senders waiting for the operator (<see cref="AccessMode.Approve"/>). One request per device id: a second
/// SETUP of the same sender joins the first. At most <see cref="MaxPending"/> wait; more are denied at once.
/// Timeouts run on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class ApprovalQueue(TimeProvider time)
{
    public const int MaxPending = 16;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _byDevice = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A new request waits for the operator.</summary>
    public event Action<ApprovalRequest>? Requested;

    /// <summary>A request ended (allowed, denied, timed out or withdrawn).</summary>
    public event Action<ApprovalRequest, ApprovalDecision>? Resolved;

    /// <summary>The requests waiting now, oldest first.</summary>
    public IReadOnlyList<ApprovalRequest> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _byId.Values.Select(e => e.Request).OrderBy(r => r.RequestedAt)];
            }
        }
    }

    /// <summary>A new request id: 16 random hex digits.</summary>
    public static string NewRequestId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// Waits for the operator's decision on <paramref name="request"/>, or <paramref name="timeout"/>. When the same
    /// device already waits, this joins that request (and its timeout). Cancelling <paramref name="ct"/> stops this
    /// wait; when no wait is left the request is withdrawn.
    /// </summary>
    public async Task<ApprovalDecision> RequestAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ct.ThrowIfCancellationRequested();
        Entry entry;
        var isNew = false;
        lock (_gate)
        {
            if (_byDevice.TryGetValue(request.DeviceId, out var existing))
            {
                entry = existing;
            }
            else if (_byId.Count >= MaxPending || _byId.ContainsKey(request.RequestId))
            {
                return ApprovalDecision.Denied;
            }
            else
            {
                entry = new Entry(request);
                _byId.Add(request.RequestId, entry);
                _byDevice.Add(request.DeviceId, entry);
                entry.Timer = time.CreateTimer(static state => ((TimeoutState)state!).Fire(), new TimeoutState(this, entry), timeout, Timeout.InfiniteTimeSpan);
                isNew = true;
            }

            entry.Waiters++;
        }

        if (isNew)
        {
            Requested?.Invoke(request);
        }

        try
        {
            return await entry.Decision.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            bool last;
            lock (_gate)
            {
                last = --entry.Waiters == 0;
            }

            if (last)
            {
                Resolve(entry, ApprovalDecision.Withdrawn);
            }

            throw;
        }
    }

    /// <summary>Allows the sender of <paramref name="requestId"/>; false when no such request waits.</summary>
    public bool Allow(string requestId) => Resolve(requestId, ApprovalDecision.Allowed);

    /// <summary>Denies the sender of <paramref name="requestId"/>; false when no such request waits.</summary>
    public bool Deny(string requestId) => Resolve(requestId, ApprovalDecision.Denied);

    private bool Resolve(string requestId, ApprovalDecision decision)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        Entry? entry;
        lock (_gate)
        {
            _byId.TryGetValue(requestId, out entry);
        }

        return entry is not null && Resolve(entry, decision);
    }

    private bool Resolve(Entry entry, ApprovalDecision decision)
    {
        lock (_gate)
        {
            if (!_byId.Remove(entry.Request.RequestId))
            {
                return false;
            }

            _byDevice.Remove(entry.Request.DeviceId);
            entry.Timer?.Dispose();
        }

        entry.Decision.TrySetResult(decision);
        Resolved?.Invoke(entry.Request, decision);
        return true;
    }

    private sealed class Entry(ApprovalRequest request)
    {
        public ApprovalRequest Request { get; } = request;

        public TaskCompletionSource<ApprovalDecision> Decision { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ITimer? Timer { get; set; }

        public int Waiters { get; set; }
    }

    private sealed class TimeoutState(ApprovalQueue queue, Entry entry)
    {
        public void Fire() => queue.Resolve(entry, ApprovalDecision.TimedOut);
    }
}
