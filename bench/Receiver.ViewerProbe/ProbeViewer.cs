using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Receiver.ViewerProbe;

/// <summary>
/// One media WebSocket viewer: reads every message and, for video and audio media messages, keeps the receiver-added
/// latency its header carries (bytes 24..31 received, 32..39 sent, microseconds since 1970, big-endian).
/// </summary>
internal sealed class ProbeViewer(Uri baseUrl, string sessionId, string mode) : IDisposable
{
    private const byte VideoMedia = 2;
    private const byte AudioMedia = 4;
    private readonly ClientWebSocket _socket = new();
    private readonly List<double> _video = new(16_384);
    private readonly List<double> _audio = new(16_384);
    private volatile bool _measuring;

    public IReadOnlyList<double> VideoLatencyMs => _video;

    public IReadOnlyList<double> AudioLatencyMs => _audio;

    public long VideoFrames { get; private set; }

    public long AudioFrames { get; private set; }

    public string? CloseReason { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var ws = new UriBuilder(baseUrl) { Scheme = baseUrl.Scheme == "https" ? "wss" : "ws", Path = $"/ws/sessions/{sessionId}/media", Query = $"mode={mode}" };
        await _socket.ConnectAsync(ws.Uri, cancellationToken);
    }

    public void StartMeasuring() => _measuring = true;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8 * 1024 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseReason = $"{_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Binary && length >= 40 && _measuring)
                {
                    Count(buffer.AsSpan(0, length));
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

    private void Count(ReadOnlySpan<byte> message)
    {
        var received = BinaryPrimitives.ReadInt64BigEndian(message[24..]);
        var sent = BinaryPrimitives.ReadInt64BigEndian(message[32..]);
        var latencyMs = received == 0 ? double.NaN : (sent - received) / 1000.0;
        switch (message[0])
        {
            case VideoMedia:
                VideoFrames++;
                if (!double.IsNaN(latencyMs))
                {
                    _video.Add(latencyMs);
                }

                break;
            case AudioMedia:
                AudioFrames++;
                if (!double.IsNaN(latencyMs))
                {
                    _audio.Add(latencyMs);
                }

                break;
            default:
                Debug.Assert(message[0] is 1 or 3, "init segments carry no latency");
                break;
        }
    }

    public void Dispose() => _socket.Dispose();
}
