using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text.Json;

namespace Receiver.WebRtcBench;

/// <summary>
/// The sender's side of the measurement, read from the receiver's media WebSocket (WebCodecs form, PCM sound): when the
/// phone captured each picture (header bytes 16..23, the sender's clock mapped onto the wall clock) by its frame number
/// in the clip, and when each beep of the sender's sound starts, found in the decoded PCM. Connected as soon as the
/// session has its first picture, it receives the GOP from the first keyframe, which is frame 0 of the clip.
/// </summary>
public sealed class MediaProbe(Uri webUrl, string sessionId, double fps) : IDisposable
{
    private const byte VideoMedia = 2;
    private const byte AudioMedia = 4;
    private const double OnsetLevel = 0.1;
    private const double QuietSeconds = 0.3;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<long, double> _captureUnixMs = [];
    private readonly List<double> _beepUnixMs = [];
    private long? _firstPtsMicroseconds;
    private int _sampleRate;
    private int _channels;
    private long _quietSamples = long.MaxValue / 2;

    /// <summary>Wall-clock capture time (Unix ms) of frame <c>n</c> of the clip.</summary>
    public IReadOnlyDictionary<long, double> CaptureUnixMs => _captureUnixMs;

    /// <summary>Wall-clock time (Unix ms, sender's clock mapped) at which each beep starts.</summary>
    public IReadOnlyList<double> BeepUnixMs => _beepUnixMs;

    public bool FirstWasKeyframe { get; private set; }

    /// <summary>How long after its capture each PCM frame left the receiver (ms): the receiver's side of the sound path before Opus.</summary>
    public List<double> PcmAtReceiverMs { get; } = [];

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var ws = new UriBuilder(webUrl) { Scheme = "ws", Path = $"/ws/sessions/{sessionId}/media", Query = "mode=webcodecs&audio=pcm" };
        await _socket.ConnectAsync(ws.Uri, cancellationToken);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4 * 1024 * 1024];
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
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    ReadText(buffer.AsSpan(0, length));
                }
                else if (length >= 40)
                {
                    ReadMedia(buffer.AsSpan(0, length));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
    }

    private void ReadText(ReadOnlySpan<byte> text)
    {
        using var json = JsonDocument.Parse(text.ToArray());
        if (json.RootElement.TryGetProperty("type", out var type) && type.GetString() == "audioFormat")
        {
            _sampleRate = json.RootElement.GetProperty("sampleRate").GetInt32();
            _channels = json.RootElement.GetProperty("channels").GetInt32();
        }
    }

    private void ReadMedia(ReadOnlySpan<byte> message)
    {
        var headerLength = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var pts = BinaryPrimitives.ReadInt64BigEndian(message[8..]);
        var senderUnixMs = BinaryPrimitives.ReadInt64BigEndian(message[16..]) / 1000.0;
        if (message[0] == VideoMedia)
        {
            if (_firstPtsMicroseconds is null)
            {
                _firstPtsMicroseconds = pts;
                FirstWasKeyframe = (message[1] & 1) != 0;
            }

            var frame = (long)Math.Round((pts - _firstPtsMicroseconds.Value) * fps / 1_000_000);
            if (senderUnixMs > 0)
            {
                _captureUnixMs[frame] = senderUnixMs;
            }
        }
        else if (message[0] == AudioMedia && _sampleRate > 0 && senderUnixMs > 0)
        {
            PcmAtReceiverMs.Add((BinaryPrimitives.ReadInt64BigEndian(message[32..]) / 1000.0) - senderUnixMs);
            FindBeeps(message[headerLength..], senderUnixMs);
        }
    }

    /// <summary>A beep starts at the first sample above <see cref="OnsetLevel"/> after <see cref="QuietSeconds"/> below it.</summary>
    private void FindBeeps(ReadOnlySpan<byte> pcm, double frameUnixMs)
    {
        var frames = pcm.Length / (2 * _channels);
        for (var i = 0; i < frames; i++)
        {
            var value = Math.Abs(BinaryPrimitives.ReadInt16LittleEndian(pcm[(i * 2 * _channels)..]) / 32768.0);
            if (value >= OnsetLevel)
            {
                if (_quietSamples >= QuietSeconds * _sampleRate)
                {
                    _beepUnixMs.Add(frameUnixMs + (1000.0 * i / _sampleRate));
                }

                _quietSamples = 0;
            }
            else
            {
                _quietSamples++;
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
