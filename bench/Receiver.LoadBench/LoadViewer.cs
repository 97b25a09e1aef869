using System.Diagnostics;

namespace Receiver.LoadBench;

/// <summary>
/// One media WebSocket viewer without a browser. A keeping-up viewer reads every message at once; a stalled one
/// stops reading for ten seconds after each second of reading, longer than the receiver's queue and the socket
/// buffers hold, so the receiver has to skip it forward. What its messages say is kept by a <see cref="VideoFragmentTally"/>.
/// Two clients read the same messages the same way: <see cref="RawWebSocketViewer"/> (<c>--client raw</c>, the
/// default: a minimal RFC 6455 client on a plain socket, many of them read by one loop) and
/// <see cref="ClientWebSocketViewer"/> (<c>--client clientws</c>: .NET's <c>ClientWebSocket</c>, one task each).
/// </summary>
public abstract class LoadViewer(Uri baseUrl, string sessionId, string mode, bool stalled) : IDisposable
{
    /// <summary>How long a stalled viewer stops reading after each second of reading.</summary>
    public static readonly TimeSpan StallTime = TimeSpan.FromSeconds(10);

    private long _bytesReceived;
    private long _nextStall;

    public bool Stalled => stalled;

    public VideoFragmentTally Tally { get; } = new();

    public string? CloseReason { get; protected set; }

    /// <summary>Bytes of the messages read so far (their payloads, whole, without the frames' headers).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>The media WebSocket's address for this viewer.</summary>
    protected Uri MediaUri => new UriBuilder(baseUrl) { Scheme = "ws", Path = $"/ws/sessions/{sessionId}/media", Query = $"mode={mode}" }.Uri;

    public static LoadViewer Create(string client, Uri baseUrl, string sessionId, string mode, bool stalled, int receiveBuffer = 0) => client switch
    {
        "raw" => new RawWebSocketViewer(baseUrl, sessionId, mode, stalled, receiveBuffer),
        "clientws" => new ClientWebSocketViewer(baseUrl, sessionId, mode, stalled),
        _ => throw new ArgumentOutOfRangeException(nameof(client), client, "raw or clientws"),
    };

    public abstract Task ConnectAsync(CancellationToken cancellationToken);

    public void StartMeasuring() => Tally.Measuring = true;

    public void StopMeasuring() => Tally.Measuring = false;

    public abstract void Dispose();

    protected void CountReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    /// <summary>
    /// For a stalled viewer after it read: the timestamp until which it reads nothing more, when its second of
    /// reading is up; null otherwise (also for keeping-up viewers).
    /// </summary>
    protected long? StallAfterReading()
    {
        if (!stalled)
        {
            return null;
        }

        var now = Stopwatch.GetTimestamp();
        if (now < _nextStall)
        {
            return null;
        }

        var resume = now + (long)(StallTime.TotalSeconds * Stopwatch.Frequency);
        _nextStall = resume + Stopwatch.Frequency;
        return resume;
    }
}
