using System.Globalization;

namespace Receiver.Core.Casting;

/// <summary>
/// The HLS side of one cast: the playlists the viewer pages fetch from the receiver (<c>/cast/{id}/hls/…</c>),
/// rewritten from what <see cref="IPlaylistSource"/> gives, and the table of segment addresses those playlists
/// named. The segment proxy fetches only addresses of that table (by index), so it is no open proxy. A playlist that
/// cannot be had or read fails the cast with its reason.
/// <para>
/// Segments whose origin lets pages read it cross-origin go straight from there (<c>/cast/{id}/hls/direct/…</c>):
/// for each page origin the cast decides once which segment origins those are (<see cref="DirectOriginsAsync"/>),
/// and the page's Content-Security-Policy and the direct media playlists both follow that one decision.
/// </para>
/// </summary>
public sealed class HlsCast
{
    /// <summary>Most segment addresses a cast may name (a 3-hour video in 2-second segments, five renditions).</summary>
    public const int MaxSegments = 30_000;

    /// <summary>Segment origins asked whether they allow cross-origin reads, per page origin.</summary>
    public const int MaxProbedOrigins = 4;

    /// <summary>Page origins a cast decides for; pages of any further origin get every segment through the proxy.</summary>
    public const int MaxPageOrigins = 8;

    /// <summary>How long one decision may take (the playlists it needs and the probes); what is not known by then goes through the proxy.</summary>
    public static readonly TimeSpan DecisionTime = TimeSpan.FromSeconds(4);

    private static readonly IReadOnlySet<string> NoOrigins = new HashSet<string>(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly IPlaylistSource _source;
    private readonly string _prefix;
    private readonly List<Uri> _media = [];
    private readonly List<Uri> _segments = [];
    private readonly Dictionary<Uri, int> _segmentIndex = [];
    private readonly Dictionary<string, Task<IReadOnlySet<string>>> _directOrigins = new(StringComparer.Ordinal);
    private Task<string>? _master;
    private int _failedSegments;
    private long _proxiedSegments;

    /// <param name="masterUrl">The playlist the sender named.</param>
    /// <param name="source">Where playlists come from.</param>
    /// <param name="pathPrefix">The receiver's path for this cast, e.g. <c>/cast/0a1b2c3d4e5f</c>.</param>
    public HlsCast(Uri masterUrl, IPlaylistSource source, string pathPrefix)
    {
        MasterUrl = masterUrl;
        _source = source;
        _prefix = pathPrefix;
    }

    public Uri MasterUrl { get; }

    /// <summary>Where the playlists come from.</summary>
    public IPlaylistSource Source => _source;

    /// <summary>What a viewer page loads when every segment goes through the proxy (a room display).</summary>
    public string MasterPath => $"{_prefix}/hls/master.m3u8";

    /// <summary>
    /// What the viewer page of this very cast loads: its media playlists name segments of the origins decided for the
    /// page's origin by their own address, the others through the proxy.
    /// </summary>
    public string DirectMasterPath => $"{_prefix}/hls/direct/master.m3u8";

    /// <summary>Segment requests the proxy has served for this cast.</summary>
    public long ProxiedSegments => Interlocked.Read(ref _proxiedSegments);

    /// <summary>Raised with the reason when a playlist cannot be had or read.</summary>
    public event Action<string>? Failed;

    /// <summary>The rewritten master playlist (fetched once).</summary>
    public Task<string> MasterAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _master ??= Guarded(LoadMasterAsync(cancellationToken));
            return _master;
        }
    }

    /// <summary>The rewritten media playlist <paramref name="index"/>, fetched again each time (a live playlist grows).</summary>
    public Task<string?> MediaAsync(int index, CancellationToken cancellationToken) => MediaAsync(index, NoOrigins, cancellationToken);

    /// <summary>
    /// The rewritten media playlist <paramref name="index"/> in which segments of <paramref name="directOrigins"/> keep
    /// their own address (the page fetches them from there) and the others go through the proxy.
    /// </summary>
    public async Task<string?> MediaAsync(int index, IReadOnlySet<string> directOrigins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directOrigins);
        await MasterAsync(cancellationToken).ConfigureAwait(false);
        Uri url;
        lock (_gate)
        {
            if (index < 0 || index >= _media.Count)
            {
                return null;
            }

            url = _media[index];
        }

        return await Guarded(RewriteMediaAsync(url, directOrigins, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The segment origins pages of <paramref name="pageOrigin"/> fetch directly, decided once per page origin: the
    /// segments the first media playlist names (fetched for it when no playlist has been yet), their origins (at most
    /// <see cref="MaxProbedOrigins"/>), and for each the answer of <paramref name="probe"/>: an origin whose
    /// <c>Access-Control-Allow-Origin</c> is <c>*</c> or the page's origin is direct, unless the page is https and the
    /// origin http. Whatever is not known within <see cref="DecisionTime"/> stays behind the proxy.
    /// </summary>
    public Task<IReadOnlySet<string>> DirectOriginsAsync(string pageOrigin, ICorsProbe probe)
    {
        ArgumentNullException.ThrowIfNull(pageOrigin);
        ArgumentNullException.ThrowIfNull(probe);
        lock (_gate)
        {
            if (!_directOrigins.TryGetValue(pageOrigin, out var decision))
            {
                if (_directOrigins.Count >= MaxPageOrigins)
                {
                    return Task.FromResult(NoOrigins);
                }

                decision = DecideAsync(pageOrigin, probe);
                _directOrigins[pageOrigin] = decision;
            }

            return decision;
        }
    }

    /// <summary>The proxy serves a segment request of this cast.</summary>
    public void SegmentProxied() => Interlocked.Increment(ref _proxiedSegments);

    private async Task<IReadOnlySet<string>> DecideAsync(string pageOrigin, ICorsProbe probe)
    {
        using var deadline = new CancellationTokenSource(DecisionTime);
        try
        {
            await MasterAsync(CancellationToken.None).WaitAsync(deadline.Token).ConfigureAwait(false);
            Uri? first;
            bool known;
            lock (_gate)
            {
                first = _media.Count > 0 ? _media[0] : null;
                known = _segments.Count > 0;
            }

            if (!known && first is not null)
            {
                await Guarded(RewriteMediaAsync(first, NoOrigins, deadline.Token)).ConfigureAwait(false);
            }

            var candidates = new Dictionary<string, Uri>(StringComparer.Ordinal);
            lock (_gate)
            {
                foreach (var segment in _segments)
                {
                    if (CorsOrigin.Of(segment) is { } origin && CorsOrigin.MayFetch(pageOrigin, origin) && candidates.Count < MaxProbedOrigins)
                    {
                        candidates.TryAdd(origin, segment);
                    }
                }
            }

            var answers = await Task.WhenAll(candidates.Select(async c =>
                (Origin: c.Key, Allowed: CorsOrigin.Allows(await probe.AllowOriginAsync(c.Value, pageOrigin, deadline.Token).ConfigureAwait(false), pageOrigin)))).ConfigureAwait(false);
            return answers.Where(a => a.Allowed).Select(a => a.Origin).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HlsPlaylistException or TimeoutException)
        {
            return NoOrigins;
        }
    }

    /// <summary>The origin address of segment <paramref name="index"/>, or null.</summary>
    public Uri? Segment(int index)
    {
        lock (_gate)
        {
            return index >= 0 && index < _segments.Count ? _segments[index] : null;
        }
    }

    /// <summary>A segment fetch failed; returns how many failed in a row.</summary>
    public int SegmentFailed() => Interlocked.Increment(ref _failedSegments);

    /// <summary>A segment arrived: the run of failures is over.</summary>
    public void SegmentArrived() => Volatile.Write(ref _failedSegments, 0);

    private async Task<string> LoadMasterAsync(CancellationToken cancellationToken)
    {
        var text = await _source.FetchAsync(MasterUrl, cancellationToken).ConfigureAwait(false);
        if (!HlsPlaylist.IsMaster(text))
        {
            // The sender named a media playlist: it is the only variant.
            lock (_gate)
            {
                _media.Add(MasterUrl);
            }

            return "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\n0.m3u8\n";
        }

        return HlsPlaylist.RewriteMaster(text, MasterUrl, MediaPath);
    }

    private async Task<string> RewriteMediaAsync(Uri url, IReadOnlySet<string> directOrigins, CancellationToken cancellationToken)
    {
        var text = await _source.FetchAsync(url, cancellationToken).ConfigureAwait(false);
        return HlsPlaylist.RewriteMedia(text, url, segment =>
            directOrigins.Count > 0 && CorsOrigin.Of(segment) is { } origin && directOrigins.Contains(origin) ? segment.AbsoluteUri : SegmentPath(segment));
    }

    private string MediaPath(Uri url)
    {
        lock (_gate)
        {
            var index = _media.IndexOf(url);
            if (index < 0)
            {
                index = _media.Count;
                _media.Add(url);
            }

            // Relative to the master, so a page that loaded the direct master gets direct media playlists.
            return $"{index.ToString(CultureInfo.InvariantCulture)}.m3u8";
        }
    }

    private string SegmentPath(Uri url)
    {
        lock (_gate)
        {
            if (!_segmentIndex.TryGetValue(url, out var index))
            {
                if (_segments.Count >= MaxSegments)
                {
                    throw new HlsPlaylistException($"the playlists name more than {MaxSegments} segments");
                }

                index = _segments.Count;
                _segments.Add(url);
                _segmentIndex[url] = index;
            }

            return $"{_prefix}/seg/{index.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    private async Task<string> Guarded(Task<string> work)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (HlsPlaylistException ex)
        {
            Failed?.Invoke(ex.Message);
            throw;
        }
    }
}
