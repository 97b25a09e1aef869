using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Receiver.Web.Connections;

namespace Receiver.Web.Tests.Connections;

public sealed class ConnectionLimiterTests
{
    private static readonly IPAddress Anna = IPAddress.Parse("192.168.1.20");
    private static readonly IPAddress Ben = IPAddress.Parse("192.168.1.21");

    private readonly FakeTimeProvider _time = new();
    private readonly CountingLogger _log = new();

    [Fact]
    public void PerAddressCap_RefusesThatAddressOnly_AndFreesPlacesOnDispose()
    {
        var limiter = new ConnectionLimiter("control", 10, 2, TimeSpan.FromMinutes(1), _time, _log);
        using var a1 = limiter.TryAcquire(Anna);
        var a2 = limiter.TryAcquire(Anna);

        Assert.Null(limiter.TryAcquire(Anna));
        Assert.Null(limiter.TryAcquire(IPAddress.Parse("::ffff:192.168.1.20")));
        using var b1 = limiter.TryAcquire(Ben);
        Assert.NotNull(b1);
        Assert.Equal(2, limiter.Refused);
        Assert.Equal(3, limiter.Open);

        a2!.Dispose();
        a2.Dispose();
        Assert.Equal(2, limiter.Open);
        using var again = limiter.TryAcquire(Anna);
        Assert.NotNull(again);
    }

    [Fact]
    public void TotalCap_HeldEvenly_RefusesEveryAddress()
    {
        var limiter = new ConnectionLimiter("control", 2, 2, TimeSpan.FromMinutes(1), _time, _log);
        using var a1 = limiter.TryAcquire(Anna);
        using var b1 = limiter.TryAcquire(Ben);

        Assert.Null(limiter.TryAcquire(IPAddress.Parse("192.168.1.22")));
        Assert.Equal(1, limiter.Refused);
        Assert.Equal(0, limiter.Evicted);
    }

    [Fact]
    public void TotalCap_FullOfOneBusyAddress_ANewcomerTakesTheOldestPlaceWithoutASession()
    {
        var limiter = new ConnectionLimiter("control", 4, 4, TimeSpan.FromMinutes(1), _time, _log);
        var closed = new List<string>();
        using var session = limiter.TryAcquire(Anna, () => closed.Add("session"));
        session!.Protect();
        _time.Advance(TimeSpan.FromSeconds(1));
        using var a2 = limiter.TryAcquire(Anna, () => closed.Add("a2"));
        _time.Advance(TimeSpan.FromSeconds(1));
        using var a3 = limiter.TryAcquire(Anna, () => closed.Add("a3"));
        using var a4 = limiter.TryAcquire(Anna, () => closed.Add("a4"));

        using var b1 = limiter.TryAcquire(Ben);

        Assert.NotNull(b1);
        Assert.Equal(["a2"], closed);
        Assert.Equal(4, limiter.Open);
        Assert.Equal(1, limiter.Evicted);
        Assert.Equal(0, limiter.Refused);
        a2!.Dispose();
        Assert.Equal(4, limiter.Open);

        // Anna (3) still holds two more than Ben (1): a second newcomer from Ben takes a3's place. Then both hold 2,
        // and neither a third from Ben nor one from Anna gets in; the session is never touched.
        using var b2 = limiter.TryAcquire(Ben);
        Assert.NotNull(b2);
        Assert.Equal(["a2", "a3"], closed);
        Assert.Null(limiter.TryAcquire(Ben));
        Assert.Null(limiter.TryAcquire(Anna));
        Assert.Equal(["a2", "a3"], closed);
        Assert.Equal(2, limiter.Evicted);
        Assert.Equal(2, limiter.Refused);
    }

    [Fact]
    public void TotalCap_FullOfSessions_NothingIsClosedToMakeRoom()
    {
        var limiter = new ConnectionLimiter("control", 3, 3, TimeSpan.FromMinutes(1), _time, _log);
        var closed = 0;
        var held = Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire(Anna, () => closed++)!).ToList();
        held.ForEach(l => l.Protect());

        Assert.Null(limiter.TryAcquire(Ben));
        Assert.Equal(0, closed);
        Assert.Equal(1, limiter.Refused);
        held.ForEach(l => l.Dispose());
        Assert.Equal(0, limiter.Open);
    }

    [Fact]
    public void TotalCap_FullFromManyAddresses_TheBusiestGivesWayAndTheCountsStayTrue()
    {
        var limiter = new ConnectionLimiter("control", 64, 8, TimeSpan.FromMinutes(1), _time, _log);
        var flood = new List<ConnectionLimiter.Lease>();
        var closed = new HashSet<ConnectionLimiter.Lease>();
        for (var i = 0; i < 200; i++)
        {
            ConnectionLimiter.Lease? lease = null;
            lease = limiter.TryAcquire(IPAddress.Parse($"10.0.0.{1 + (i % 16)}"), () => closed.Add(lease!));
            if (lease is not null)
            {
                flood.Add(lease);
            }
        }

        Assert.Equal(64, limiter.Open);
        var newcomers = Enumerable.Range(0, 16).Select(i => limiter.TryAcquire(IPAddress.Parse($"10.1.0.{i}"))).ToList();

        Assert.All(newcomers, Assert.NotNull);
        Assert.Equal(16, closed.Count);
        Assert.Equal(64, limiter.Open);
        foreach (var lease in flood)
        {
            lease.Dispose();
        }

        Assert.Equal(16, limiter.Open);
        newcomers.ForEach(l => l!.Dispose());
        Assert.Equal(0, limiter.Open);
    }

    [Fact]
    public void Refusals_AreLoggedOncePerAddressPerInterval_AndAllCounted()
    {
        var limiter = new ConnectionLimiter("control", 10, 1, TimeSpan.FromMinutes(1), _time, _log);
        using var a1 = limiter.TryAcquire(Anna);
        using var b1 = limiter.TryAcquire(Ben);

        for (var i = 0; i < 500; i++)
        {
            Assert.Null(limiter.TryAcquire(Anna));
        }

        Assert.Null(limiter.TryAcquire(Ben));
        Assert.Equal(2, _log.Warnings);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(limiter.TryAcquire(Anna));
        Assert.Equal(2, _log.Warnings);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(limiter.TryAcquire(Anna));
        Assert.Equal(3, _log.Warnings);
        Assert.Equal(503, limiter.Refused);
    }

    private sealed class CountingLogger : ILogger
    {
        public int Warnings { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings++;
            }
        }
    }
}
