using System.Globalization;

namespace Receiver.Core.Casting;

/// <summary>
/// The HLS side of one cast: the playlists the viewer pages fetch from the receiver (<c>/cast/{id}/hls/…</c>),
/// rewritten from what <see cref="IPlaylistSource"/> gives, and the table of segment addresses those playlists
/// named. The segment proxy fetches only addresses of that table (by index), so it is no open proxy. A playlist that
/// cannot be had or read fails the cast with its reason.
/// </summary>
public sealed class HlsCast
{
    /// <summary>Most segment addresses a cast may name (a 3-hour video in 2-second segments, five renditions).</summary>
    public const int MaxSegments = 30_000;

    private readonly Lock _gate = new();
    private readonly IPlaylistSource _source;
    private readonly string _prefix;
    private readonly List<Uri> _media = [];
    private readonly List<Uri> _segments = [];
    private readonly Dictionary<Uri, int> _segmentIndex = [];
    private Task<string>? _master;
    private int _failedSegments;

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

    /// <summary>What the viewer page loads.</summary>
    public string MasterPath => $"{_prefix}/hls/master.m3u8";

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
    public async Task<string?> MediaAsync(int index, CancellationToken cancellationToken)
    {
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

        return await Guarded(RewriteMediaAsync(url, cancellationToken)).ConfigureAwait(false);
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

            return $"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\n{_prefix}/hls/0.m3u8\n";
        }

        return HlsPlaylist.RewriteMaster(text, MasterUrl, MediaPath);
    }

    private async Task<string> RewriteMediaAsync(Uri url, CancellationToken cancellationToken)
    {
        var text = await _source.FetchAsync(url, cancellationToken).ConfigureAwait(false);
        return HlsPlaylist.RewriteMedia(text, url, SegmentPath);
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

            return $"{_prefix}/hls/{index.ToString(CultureInfo.InvariantCulture)}.m3u8";
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
