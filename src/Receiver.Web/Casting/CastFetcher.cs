using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Receiver.Core.Casting;
using Receiver.Core.Sessions;
using Receiver.Web.Options;

namespace Receiver.Web.Casting;

/// <summary>
/// The receiver's bounded fetcher for casts: playlists of http(s) HLS casts and the segments the pages ask the proxy
/// for (<c>/cast/{id}/seg/{n}</c>). Bounded three ways: only addresses a cast's playlists named (the caller looks them
/// up by index), each resolved address checked by <see cref="CastUrlPolicy"/> when the connection is made (a name
/// that resolves to an internal-only address is refused, redirects are not followed); at most
/// <c>Receiver:Cast:MaxSegmentBytes</c> per segment; and per cast at most <c>MaxConcurrentFetches</c> fetches at once
/// and a token bucket of requests (<c>FetchesPerSecond</c>, bursts of three times as many).
/// </summary>
public sealed class CastFetcher : IPlaylistSource, ICorsProbe, IDisposable
{
    private readonly HttpClient _client;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly long _maxSegmentBytes;

    public CastFetcher(Microsoft.Extensions.Options.IOptions<ReceiverOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value.Cast;
        _maxSegmentBytes = limits.MaxSegmentBytes;
        // Read from the options, not from ReceiverRuntime.Settings: this is made while the endpoints are mapped,
        // before the listeners are bound, and the runtime's settings must not be fixed that early.
        var policy = new CastUrlPolicy { AllowLoopback = limits.AllowLoopbackUrls };
        Policy = policy;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
                var allowed = addresses.FirstOrDefault(a => policy.AddressRefusal(a) is null)
                    ?? throw new HttpRequestException($"{context.DnsEndPoint.Host}: {(addresses.Length == 0 ? "no address" : policy.AddressRefusal(addresses[0]))}");
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(allowed, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("AirPlayWebReceiver/1.0");
        _limiter = PartitionedRateLimiter.Create<string, string>(id => RateLimitPartition.GetConcurrencyLimiter(id, _ => new ConcurrencyLimiterOptions { PermitLimit = limits.MaxConcurrentFetches, QueueLimit = 64 }));
        Buckets = PartitionedRateLimiter.Create<string, string>(id => RateLimitPartition.GetTokenBucketLimiter(id, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.FetchesPerSecond * 3,
            TokensPerPeriod = limits.FetchesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public CastUrlPolicy Policy { get; }

    private PartitionedRateLimiter<string> Buckets { get; }

    /// <summary>A playlist of an http(s) HLS cast (at most <see cref="HlsPlaylist.MaxBytes"/>).</summary>
    public async Task<string> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (Policy.HostRefusal(url) is { } refusal)
        {
            throw new HlsPlaylistException(refusal);
        }

        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HlsPlaylistException($"the playlist's server answered {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > HlsPlaylist.MaxBytes)
            {
                throw new HlsPlaylistException($"the playlist is larger than {HlsPlaylist.MaxBytes / 1024} KiB");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var copy = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (copy.Length + read > HlsPlaylist.MaxBytes)
                {
                    throw new HlsPlaylistException($"the playlist is larger than {HlsPlaylist.MaxBytes / 1024} KiB");
                }

                copy.Write(buffer, 0, read);
            }

            return System.Text.Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length);
        }
        catch (HttpRequestException ex)
        {
            throw new HlsPlaylistException($"the playlist cannot be reached ({ex.Message})");
        }
    }

    /// <summary>
    /// Whether a segment's server lets pages of <paramref name="pageOrigin"/> read it: one GET of its first byte
    /// (<c>Range: bytes=0-0</c>) with that <c>Origin</c>, under the same address rules as every fetch (no redirect
    /// followed); the body is not read. A failed or refused fetch answers null.
    /// </summary>
    public async Task<string?> AllowOriginAsync(Uri segment, string pageOrigin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(pageOrigin);
        if (Policy.HostRefusal(segment) is not null)
        {
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, segment);
        request.Headers.TryAddWithoutValidation("Origin", pageOrigin);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 0);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode && response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values)
                ? values.FirstOrDefault()
                : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// Copies segment <paramref name="url"/> of <paramref name="session"/> into <paramref name="response"/>. Returns
    /// null on success, else why it failed (the response then carries the status).
    /// </summary>
    public async Task<string?> CopySegmentAsync(MirroringSession session, Uri url, HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(response);
        using var token = Buckets.AttemptAcquire(session.Id);
        if (!token.IsAcquired)
        {
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            return null;
        }

        using var slot = await _limiter.AcquireAsync(session.Id, 1, cancellationToken);
        if (!slot.IsAcquired)
        {
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            return null;
        }

        if (Policy.HostRefusal(url) is { } refusal)
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            return refusal;
        }

        try
        {
            using var upstream = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!upstream.IsSuccessStatusCode)
            {
                response.StatusCode = StatusCodes.Status502BadGateway;
                return $"a segment's server answered {(int)upstream.StatusCode}";
            }

            if (upstream.Content.Headers.ContentLength > _maxSegmentBytes)
            {
                response.StatusCode = StatusCodes.Status502BadGateway;
                return $"a segment is larger than {_maxSegmentBytes / (1024 * 1024)} MiB";
            }

            response.ContentType = upstream.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
            response.ContentLength = upstream.Content.Headers.ContentLength;
            await using var body = await upstream.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            long copied = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                copied += read;
                if (copied > _maxSegmentBytes)
                {
                    response.HttpContext.Abort();
                    return $"a segment is larger than {_maxSegmentBytes / (1024 * 1024)} MiB";
                }

                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return null;
        }
        catch (HttpRequestException ex)
        {
            response.StatusCode = StatusCodes.Status502BadGateway;
            return $"segments cannot be reached ({ex.HttpRequestError switch { HttpRequestError.ConnectionError => "connection refused", HttpRequestError.NameResolutionError => "unknown host", _ => ex.Message }})";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            response.StatusCode = StatusCodes.Status504GatewayTimeout;
            return "a segment did not arrive in time";
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _limiter.Dispose();
        Buckets.Dispose();
    }
}
