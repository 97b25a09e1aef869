using System.Globalization;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>Waits for a condition that other threads make true, failing the test when it does not come in time.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; fails after <paramref name="timeout"/> (30 s by default).</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, string.Create(CultureInfo.InvariantCulture, $"condition not met within {limit.TotalSeconds} s"));
            await Task.Delay(20);
        }
    }
}
