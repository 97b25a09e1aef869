using System.Net;
using Receiver.Core.Casting;
using Receiver.Core.Media;
using Receiver.Core.Timing;

namespace Receiver.Core.Sessions;

/// <summary>
/// One sender's mirroring session as the rest of the receiver sees it: who, since when, its media channel, volume,
/// counters, and a token that fires when it ends (teardown, disconnect, kick…).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token sources have no timers and their tokens must stay usable after the session ends.")]
public sealed class MirroringSession
{
    private readonly CancellationTokenSource _ended = new();
    private readonly SessionRegistry _registry;
    private long _frames;
    private long _bytes;
    private int _endedFlag;
    private int _videoConnections;
    private string? _pendingCompletion;
    private CancellationTokenSource? _video;

    internal MirroringSession(string id, SenderInfo sender, string protocol, IPAddress remoteAddress, DateTimeOffset startedAt, SessionRegistry registry)
    {
        Id = id;
        Sender = sender;
        Protocol = protocol;
        RemoteAddress = remoteAddress;
        Liveness = new SenderLiveness(registry.Time);
        SenderDatagrams = new SenderDatagramFilter(remoteAddress, Liveness);
        StartedAt = startedAt;
        _registry = registry;
        Media = new MediaChannel(registry.MediaOptions);
        Clock = new SenderClock(registry.Time);
    }

    /// <summary>The protocol capture of the session's control connection, when it has one: packet headers are recorded there.</summary>
    public Diagnostics.ProtocolCapture? Capture { get; internal set; }

    /// <summary>The video cast to the receiver when this is a cast session (<c>POST /play</c>), else null: a mirroring session.</summary>
    public CastSession? Cast { get; internal set; }

    /// <summary><c>video</c> for a cast, <c>mirror</c> for screen mirroring.</summary>
    public string Kind => Cast is null ? "mirror" : "video";

    /// <summary>The sender's clock: every sender timestamp of the session is read through it.</summary>
    public SenderClock Clock { get; }

    /// <summary>Capture-to-receipt latency of the session's pictures (sender capture, mapped by <see cref="Clock"/>, to the last byte here).</summary>
    public LatencyWindow CaptureLatency { get; } = new();

    /// <summary>
    /// Receiver-added latency of the session's media, one sample per video access unit per viewer: from the access
    /// unit being complete here (received and decrypted) to its send to that viewer having finished.
    /// </summary>
    public LatencyWindow ReceiverLatency { get; } = new(4096);

    public string Id { get; }

    public SenderInfo Sender { get; }

    /// <summary><c>airplay</c> for the RTSP flow on the control port, <c>legacy</c> for the port-7100 HTTP flow.</summary>
    public string Protocol { get; }

    public IPAddress RemoteAddress { get; }

    /// <summary>When the sender was last heard (control requests, mirror packets, audio and timing datagrams).</summary>
    public SenderLiveness Liveness { get; }

    /// <summary>Which datagrams of the session's UDP sockets are the sender's; the others are dropped and counted here.</summary>
    public SenderDatagramFilter SenderDatagrams { get; }

    public DateTimeOffset StartedAt { get; }

    public MediaChannel Media { get; }

    public VideoFormat? CurrentFormat { get; private set; }

    public double VolumeDb { get; private set; }

    public bool VideoActive { get; private set; }

    public bool AudioActive { get; private set; }

    public long FramesReceived => Interlocked.Read(ref _frames);

    public long BytesReceived => Interlocked.Read(ref _bytes);

    public SessionEndReason? EndReason { get; private set; }

    /// <summary>When the session ended, or null while it lives.</summary>
    public DateTimeOffset? EndedAt { get; internal set; }

    /// <summary>Cancelled when the session ends, whatever the reason. Connections of the session close on it.</summary>
    public CancellationToken Ended => _ended.Token;

    public bool HasEnded => Volatile.Read(ref _endedFlag) != 0;

    /// <summary>Ends the session: its connections close and viewers receive the end.</summary>
    public bool End(SessionEndReason reason) => _registry.End(this, reason);

    internal bool TryMarkEnded(SessionEndReason reason)
    {
        if (Interlocked.Exchange(ref _endedFlag, 1) != 0)
        {
            return false;
        }

        EndReason = reason;
        var name = reason.ToString().ToLowerInvariant();
        if (reason == SessionEndReason.Teardown && Volatile.Read(ref _videoConnections) > 0)
        {
            // A sender that tears down has written its last frames already: viewers (and recordings) get them
            // before the end, once the data connection has drained (its drain time is bounded).
            Volatile.Write(ref _pendingCompletion, name);
            if (Volatile.Read(ref _videoConnections) == 0)
            {
                CompletePendingMedia();
            }
        }
        else
        {
            Media.Complete(name);
        }

        _ended.Cancel();
        return true;
    }

    /// <summary>
    /// Marks a video data connection as running until the returned handle is disposed: after a teardown the media
    /// channel completes once every such connection has delivered what it still holds.
    /// </summary>
    public IDisposable TrackVideoConnection()
    {
        Interlocked.Increment(ref _videoConnections);
        return new VideoConnection(this);
    }

    private void CompletePendingMedia()
    {
        if (Interlocked.Exchange(ref _pendingCompletion, null) is { } reason)
        {
            Media.Complete(reason);
        }
    }

    private sealed class VideoConnection(MirroringSession session) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0 && Interlocked.Decrement(ref session._videoConnections) == 0)
            {
                session.CompletePendingMedia();
            }
        }
    }

    /// <summary>Starts a new video stream; the returned token fires when the sender tears that stream down.</summary>
    public CancellationToken BeginVideo()
    {
        var previous = Interlocked.Exchange(ref _video, new CancellationTokenSource());
        previous?.Cancel();
        return _video.Token;
    }

    /// <summary>Stops the current video stream (TEARDOWN of type 110): its data connection closes, the session stays.</summary>
    internal void StopVideo() => Volatile.Read(ref _video)?.Cancel();

    internal void SetVolume(double volumeDb) => VolumeDb = volumeDb;

    internal void SetVideoActive(bool active) => VideoActive = active;

    internal void SetAudioActive(bool active) => AudioActive = active;

    internal void SetFormat(VideoFormat format) => CurrentFormat = format;

    internal void CountFrame(int bytes)
    {
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _bytes, bytes);
    }
}
