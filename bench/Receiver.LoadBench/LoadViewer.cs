using System.Diagnostics;
using System.Net.WebSockets;

namespace Receiver.LoadBench;

/// <summary>
/// One media WebSocket viewer without a browser. A keeping-up viewer reads every message at once; a stalled one
/// stops reading for ten seconds after each second of reading, longer than the receiver's queue and the socket
/// buffers hold, so the receiver has to skip it forward. What its messages say is kept by a <see cref="VideoFragmentTally"/>.
/// </summary>
public sealed class LoadViewer(Uri baseUrl, string sessionId, string mode, bool stalled) : IDisposable
{
    private static readonly TimeSpan StallTime = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _socket = new();
    private readonly VideoFragmentTally _tally = new();
    private readonly byte[] _header = new byte[VideoFragmentTally.HeaderLength];
    private long _nextStall;

    public bool Stalled => stalled;

    public VideoFragmentTally Tally => _tally;

    public string? CloseReason { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var ws = new UriBuilder(baseUrl) { Scheme = "ws", Path = $"/ws/sessions/{sessionId}/media", Query = $"mode={mode}" };
        _socket.Options.SetBuffer(64 * 1024, 16 * 1024);
        await _socket.ConnectAsync(ws.Uri, cancellationToken);
    }

    public void StartMeasuring() => _tally.Measuring = true;

    public void StopMeasuring() => _tally.Measuring = false;

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
                    if (length < _header.Length)
                    {
                        buffer.AsSpan(0, Math.Min(result.Count, _header.Length - length)).CopyTo(_header.AsSpan(length));
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        CloseReason = $"{_socket.CloseStatus} {_socket.CloseStatusDescription}";
                        return;
                    case WebSocketMessageType.Text:
                        _tally.OnFormat();
                        break;
                    default:
                        _tally.OnBinary(_header.AsSpan(0, Math.Min(length, _header.Length)));
                        break;
                }

                if (stalled && Stopwatch.GetTimestamp() >= _nextStall)
                {
                    await Task.Delay(StallTime, cancellationToken);
                    _nextStall = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
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

    public void Dispose() => _socket.Dispose();
}
