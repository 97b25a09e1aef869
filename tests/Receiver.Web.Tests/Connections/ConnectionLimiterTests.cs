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
    public void TotalCap_RefusesEveryAddress()
    {
        var limiter = new ConnectionLimiter("control", 2, 2, TimeSpan.FromMinutes(1), _time, _log);
        using var a1 = limiter.TryAcquire(Anna);
        using var b1 = limiter.TryAcquire(Ben);

        Assert.Null(limiter.TryAcquire(IPAddress.Parse("192.168.1.22")));
        Assert.Equal(1, limiter.Refused);
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
