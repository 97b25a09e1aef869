using System.Collections.Concurrent;
using System.Net;
using Receiver.Core.Sessions;
using Receiver.Web.Hosting;

namespace Receiver.Web.WebRtc;

/// <summary>
/// Starts a <see cref="JanusIngest"/> for every session as it is created, when <c>Receiver:WebRtc:JanusUrl</c> is
/// set, and finds a session's mountpoint for the viewer signalling (<see cref="WebRtcEndpoints"/>).
/// </summary>
public sealed partial class JanusIngestService(SessionRegistry registry, ReceiverRuntime runtime, TimeProvider time, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, JanusIngest> _ingests = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<JanusIngestService>();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
    private JanusStreamingClient? _janus;
    private JanusIngestSettings? _settings;
    private IPAddress _rtpHost = IPAddress.Loopback;
    private int _viewers;
    private readonly ConcurrentDictionary<string, int> _sessionViewers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _watching = Task.CompletedTask;
    private volatile string _state = Off;
    private bool _reported;

    /// <summary><see cref="State"/> when WebRTC viewing is not configured.</summary>
    public const string Off = "off";

    /// <summary><see cref="State"/> when Janus answered the last check with its streaming plugin.</summary>
    public const string Reachable = "reachable";

    /// <summary><see cref="State"/> when Janus did not answer the last check (viewers use the WebSocket players).</summary>
    public const string Unreachable = "unreachable";

    /// <summary>How often Janus is checked.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(10);

    /// <summary>Janus as last checked: <see cref="Off"/>, <see cref="Reachable"/> or <see cref="Unreachable"/> (also before the first check).</summary>
    public string State => _state;

    /// <summary>The Janus API client, or null when WebRTC viewing is off.</summary>
    public JanusStreamingClient? Janus => _janus;

    /// <summary>The session's mountpoint, or null when it has none (WebRTC off, not H.264, Janus failed, no picture yet).</summary>
    public JanusMountpoint? MountpointOf(string sessionId) => _ingests.TryGetValue(sessionId, out var ingest) ? ingest.Mountpoint : null;

    /// <summary>The session's ingest, or null when it is not sent to Janus.</summary>
    public JanusIngest? IngestOf(string sessionId) => _ingests.TryGetValue(sessionId, out var ingest) ? ingest : null;

    /// <summary>WebRTC viewers whose signalling is relayed now.</summary>
    public int Viewers => Volatile.Read(ref _viewers);

    /// <summary>Takes a place for one more relayed viewer of the session; false when <c>Receiver:WebRtc:MaxViewers</c> are there.</summary>
    public bool TryTakeViewer(string sessionId)
    {
        if (Interlocked.Increment(ref _viewers) > runtime.Options.WebRtc.MaxViewers)
        {
            Interlocked.Decrement(ref _viewers);
            return false;
        }

        _sessionViewers.AddOrUpdate(sessionId, 1, (_, count) => count + 1);
        return true;
    }

    /// <summary>Gives back a place taken by <see cref="TryTakeViewer"/>.</summary>
    public void ReleaseViewer(string sessionId)
    {
        Interlocked.Decrement(ref _viewers);
        if (_sessionViewers.AddOrUpdate(sessionId, 0, (_, count) => count - 1) <= 0)
        {
            _sessionViewers.TryRemove(new KeyValuePair<string, int>(sessionId, 0));
        }
    }

    /// <summary>WebRTC viewers of one session now.</summary>
    public int ViewersOf(string sessionId) => _sessionViewers.TryGetValue(sessionId, out var count) ? count : 0;

    /// <summary>Janus's state and each live session's mountpoint and WebRTC viewers, as the dashboard shows them.</summary>
    public WebRtcStatus Status()
    {
        var state = State;
        var sessions = state == Off
            ? []
            : registry.Sessions.Where(s => !s.HasEnded).Select(s =>
            {
                var mountpoint = MountpointOf(s.Id);
                return new WebRtcSessionStatus(s.Id, mountpoint is not null, mountpoint?.Id, ViewersOf(s.Id));
            }).ToArray();
        return new WebRtcStatus(state, Viewers, sessions);
    }

    /// <summary>True while the session is being sent to Janus (its mountpoint may still be on its way).</summary>
    public bool IsIngesting(string sessionId) => _ingests.TryGetValue(sessionId, out var ingest) && !ingest.Completion.IsCompleted;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = runtime.Options.WebRtc;
        if (!options.Enabled)
        {
            return Task.CompletedTask;
        }

        if (!Uri.TryCreate(options.JanusUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"Receiver:WebRtc:JanusUrl '{options.JanusUrl}' is not an http(s) URL.");
        }

        if (!IPAddress.TryParse(options.RtpHost, out var host))
        {
            host = Dns.GetHostAddresses(options.RtpHost).FirstOrDefault()
                ?? throw new InvalidOperationException($"Receiver:WebRtc:RtpHost '{options.RtpHost}' has no address.");
        }

        _rtpHost = host;
        _janus = new JanusStreamingClient(_http, url, TimeSpan.FromSeconds(options.RequestTimeoutSeconds));
        _settings = new JanusIngestSettings(
            runtime.Audio.FfmpegPath, runtime.Options.Limits.TranscoderLimits(), runtime.Audio.CpuWatchdog, options.OpusBitrate) { Time = time, LipSyncMaxHold = TimeSpan.FromMilliseconds(options.LipSyncMaxHoldMs) };
        registry.SessionCreated += OnSessionCreated;
        _state = Unreachable;
        _watching = WatchAsync(_janus, _stopping.Token);
        LogEnabled(_logger, url.ToString(), host.ToString());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        registry.SessionCreated -= OnSessionCreated;
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await _watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var ingest in _ingests.Values)
        {
            await ingest.DisposeAsync();
        }

        _ingests.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _http.Dispose();
        _stopping.Dispose();
    }

    // Checks Janus now and every CheckInterval; logs when it comes and goes.
    private async Task WatchAsync(JanusStreamingClient janus, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        do
        {
            var state = await janus.IsServingAsync(cancellationToken) ? Reachable : Unreachable;
            if (state != _state || state == Unreachable && !_reported)
            {
                _reported = true;
                LogJanusState(_logger, state);
            }

            if (state == Reachable && _state == Unreachable)
            {
                // Janus (re)started: the mountpoints it had are gone, sessions that began without it have none.
                await RestartIngestsAsync();
            }

            _state = state;
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>
    /// Janus does not know the session's mountpoint (it restarted between two checks): the session is sent again,
    /// into a new one.
    /// </summary>
    public async Task ReplaceMountpointAsync(MirroringSession session, long mountpointId)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_ingests.TryGetValue(session.Id, out var ingest) && ingest.Mountpoint?.Id == mountpointId
            && _ingests.TryRemove(new KeyValuePair<string, JanusIngest>(session.Id, ingest)))
        {
            await ingest.DisposeAsync();
            OnSessionCreated(session);
        }
    }

    /// <summary>
    /// A viewer's relay found Janus gone: <see cref="State"/> says so at once (pages stay on the WebSocket players),
    /// and the next check that finds Janus again sends every session to it anew.
    /// </summary>
    public void ReportUnreachable()
    {
        if (_state == Reachable)
        {
            _state = Unreachable;
            LogJanusState(_logger, Unreachable);
        }
    }

    private async Task RestartIngestsAsync()
    {
        foreach (var session in registry.Sessions.Where(s => !s.HasEnded))
        {
            if (_ingests.TryRemove(session.Id, out var old))
            {
                await old.DisposeAsync();
            }

            OnSessionCreated(session);
        }
    }

    private void OnSessionCreated(MirroringSession session)
    {
        if (_janus is null || _settings is null || session.HasEnded)
        {
            return;
        }

        var ingest = new JanusIngest(session, _janus, _rtpHost, _settings, loggers.CreateLogger<JanusIngest>());
        _ingests[session.Id] = ingest;
        _ = ingest.Completion.ContinueWith(
            _ => _ingests.TryRemove(new KeyValuePair<string, JanusIngest>(session.Id, ingest)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(EventId = 5211, Level = LogLevel.Information, Message = "Janus is {State}")]
    private static partial void LogJanusState(ILogger logger, string state);

    [LoggerMessage(EventId = 5210, Level = LogLevel.Information, Message = "WebRTC viewing through Janus at {JanusUrl} (RTP to {RtpHost})")]
    private static partial void LogEnabled(ILogger logger, string janusUrl, string rtpHost);
}
