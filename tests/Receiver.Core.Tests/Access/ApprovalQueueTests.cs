using System.Net;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Access;

namespace Receiver.Core.Tests.Access;

public sealed class ApprovalQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static ApprovalRequest Request(string id, string device = "AA:BB:CC:DD:EE:01") =>
        new(id, device, "Living-room iPad", "iPad8,1", new IPEndPoint(IPAddress.Loopback, 50000), DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Allow_ResolvesTheWaitAndRaisesTheEvents()
    {
        var queue = new ApprovalQueue(new FakeTimeProvider());
        var requested = new List<ApprovalRequest>();
        var resolved = new List<(string, ApprovalDecision)>();
        queue.Requested += requested.Add;
        queue.Resolved += (r, d) => resolved.Add((r.RequestId, d));

        var wait = queue.RequestAsync(Request("r1"), Timeout, CancellationToken.None);
        Assert.Equal("r1", Assert.Single(queue.Pending).RequestId);
        Assert.Single(requested);
        Assert.False(wait.IsCompleted);

        Assert.True(queue.Allow("r1"));
        Assert.Equal(ApprovalDecision.Allowed, await wait);
        Assert.Empty(queue.Pending);
        Assert.Equal([("r1", ApprovalDecision.Allowed)], resolved);
        Assert.False(queue.Allow("r1"));
        Assert.False(queue.Deny("unknown"));
    }

    [Fact]
    public async Task Deny_ResolvesDenied()
    {
        var queue = new ApprovalQueue(new FakeTimeProvider());
        var wait = queue.RequestAsync(Request("r1"), Timeout, CancellationToken.None);
        Assert.True(queue.Deny("r1"));
        Assert.Equal(ApprovalDecision.Denied, await wait);
    }

    [Fact]
    public async Task NoAnswer_TimesOutOnTheClock()
    {
        var time = new FakeTimeProvider();
        var queue = new ApprovalQueue(time);
        var wait = queue.RequestAsync(Request("r1"), Timeout, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ApprovalDecision.TimedOut, await wait);
        Assert.Empty(queue.Pending);
    }

    [Fact]
    public async Task SameDeviceTwice_JoinsTheFirstRequest()
    {
        var queue = new ApprovalQueue(new FakeTimeProvider());
        var requested = 0;
        queue.Requested += _ => requested++;
        var first = queue.RequestAsync(Request("r1"), Timeout, CancellationToken.None);
        var second = queue.RequestAsync(Request("r2", "aa:bb:cc:dd:ee:01"), Timeout, CancellationToken.None);

        Assert.Single(queue.Pending);
        Assert.Equal(1, requested);
        Assert.True(queue.Allow("r1"));
        Assert.Equal((ApprovalDecision.Allowed, ApprovalDecision.Allowed), (await first, await second));
    }

    [Fact]
    public async Task OverTheCap_IsDeniedAtOnce()
    {
        var queue = new ApprovalQueue(new FakeTimeProvider());
        var waits = Enumerable.Range(0, ApprovalQueue.MaxPending)
            .Select(i => queue.RequestAsync(Request($"r{i}", $"AA:BB:CC:DD:EE:{i:X2}"), Timeout, CancellationToken.None)).ToList();

        var over = queue.RequestAsync(Request("over", "AA:BB:CC:DD:FF:FF"), Timeout, CancellationToken.None);

        Assert.True(over.IsCompleted);
        Assert.Equal(ApprovalDecision.Denied, await over);
        Assert.Equal(ApprovalQueue.MaxPending, queue.Pending.Count);
        Assert.All(waits, w => Assert.False(w.IsCompleted));
    }

    [Fact]
    public async Task EveryWaitCancelled_WithdrawsTheRequest()
    {
        var queue = new ApprovalQueue(new FakeTimeProvider());
        var resolved = new List<ApprovalDecision>();
        queue.Resolved += (_, d) => resolved.Add(d);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var a = queue.RequestAsync(Request("r1"), Timeout, first.Token);
        var b = queue.RequestAsync(Request("r2"), Timeout, second.Token);

        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Assert.Single(queue.Pending);
        await second.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);

        Assert.Empty(queue.Pending);
        Assert.Equal([ApprovalDecision.Withdrawn], resolved);
    }
}
