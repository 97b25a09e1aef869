using System.Buffers.Binary;
using System.Net.WebSockets;

namespace Receiver.LoadBench;

/// <summary>
/// One media WebSocket viewer without a browser. A keeping-up viewer reads every message at once; a stalled one
/// stops reading for ten seconds after each second of reading, longer than the receiver's queue and the socket
/// buffers hold, so the receiver has to skip it forward. From each video message's header it keeps the
/// receiver-added latency (bytes 32..39 sent − 24..31 received, microseconds since 1970) and the fragment sequence
/// number (bytes 4..7), whose gaps are the fragments this viewer never got.
/// </summary>
public sealed class LoadViewer(Uri baseUrl, string sessionId, string mode, bool stalled) : IDisposable
{
    private const int HeaderLength = 40;
    private static readonly TimeSpan StallTime = TimeSpan.FromSeconds(10);
    private const byte InitSegment = 1;
    private const byte VideoMedia = 2;
    private const byte BacklogFlag = 0x02;
    private readonly ClientWebSocket _socket = new();
    private readonly List<float> _latencyMs = new(4096);
    private readonly byte[] _header = new byte[HeaderLength];
    private volatile bool _measuring;
    private uint? _lastSequence;
    private long _nextStall;

    public string SessionId => sessionId;

    public bool Stalled => stalled;

    public IReadOnlyList<float> LatencyMs => _latencyMs;

    /// <summary>Video messages received while measuring (backlog pictures of the join excluded).</summary>
    public long VideoFrames { get; private set; }

    /// <summary>Video fragments missing from the sequence while measuring: skipped by the receiver, or lost.</summary>
    public long MissingFragments { get; private set; }

    public string? CloseReason { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var ws = new UriBuilder(baseUrl) { Scheme = "ws", Path = $"/ws/sessions/{sessionId}/media", Query = $"mode={mode}" };
        _socket.Options.SetBuffer(64 * 1024, 16 * 1024);
        await _socket.ConnectAsync(ws.Uri, cancellationToken);
    }

    public void StartMeasuring() => _measuring = true;

    public void StopMeasuring() => _measuring = false;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                    if (length < HeaderLength)
                    {
                        buffer.AsSpan(0, Math.Min(result.Count, HeaderLength - length)).CopyTo(_header.AsSpan(length));
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseReason = $"{_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    // A format message: a new stream, whose fragments are numbered afresh.
                    _lastSequence = null;
                }
                else if (length >= HeaderLength)
                {
                    Count();
                }

                if (stalled && System.Diagnostics.Stopwatch.GetTimestamp() >= _nextStall)
                {
                    await Task.Delay(StallTime, cancellationToken);
                    _nextStall = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException ex)
        {
            CloseReason = ex.Message;
        }
    }

    private void Count()
    {
        var kind = _header[0];
        if (kind == InitSegment)
        {
            _lastSequence = null;
            return;
        }

        if (kind != VideoMedia)
        {
            return;
        }

        var sequence = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
        var gap = _lastSequence is { } last && sequence > last ? sequence - last - 1 : 0;
        _lastSequence = sequence;
        if (!_measuring || (_header[1] & BacklogFlag) != 0)
        {
            return;
        }

        VideoFrames++;
        MissingFragments += gap;
        var received = BinaryPrimitives.ReadInt64BigEndian(_header.AsSpan(24));
        var sent = BinaryPrimitives.ReadInt64BigEndian(_header.AsSpan(32));
        if (received != 0)
        {
            _latencyMs.Add((sent - received) / 1000f);
        }
    }

    public void Dispose() => _socket.Dispose();
}
