using System.Net;
using System.Threading.RateLimiting;

namespace Receiver.Web.Security;

/// <summary>
/// Counts failed sign-ins, wrong keys and invalid viewing tokens per address with the platform's partitioned
/// fixed-window limiter: after <see cref="MaxFailures"/> in a window the address gets 429 until the window ends,
/// whatever it sends.
/// </summary>
public sealed class CredentialThrottle : IDisposable
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<IPAddress> _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = MaxFailures,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>The address has used up its failures for this window.</summary>
    public bool IsBlocked(IPAddress? address) =>
        address is not null && _failures.GetStatistics(Normalize(address)) is { CurrentAvailablePermits: <= 0 };

    /// <summary>Counts one failure against the address.</summary>
    public void Failed(IPAddress? address)
    {
        if (address is not null)
        {
            using var lease = _failures.AttemptAcquire(Normalize(address));
        }
    }

    public void Dispose() => _failures.Dispose();

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
