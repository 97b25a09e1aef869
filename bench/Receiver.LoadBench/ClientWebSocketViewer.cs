using System.Diagnostics;
using System.Net.WebSockets;

namespace Receiver.LoadBench;

/// <summary>
/// A <see cref="LoadViewer"/> on .NET's <see cref="ClientWebSocket"/>, one receive loop (task) per viewer, reading each
/// message through a 64 KiB buffer (<c>--client clientws</c>).
/// </summary>
public sealed class ClientWebSocketViewer(Uri baseUrl, string sessionId, string mode, bool stalled) : LoadViewer(baseUrl, sessionId, mode, stalled)
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _header = new byte[VideoFragmentTally.HeaderLength];

    public override async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _socket.Options.SetBuffer(64 * 1024, 16 * 1024);
        await _socket.ConnectAsync(MediaUri, cancellationToken);
    }

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

                CountReceived(length);
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        CloseReason = $"{_socket.CloseStatus} {_socket.CloseStatusDescription}";
                        return;
                    case WebSocketMessageType.Text:
                        Tally.OnFormat();
                        break;
                    default:
                        Tally.OnBinary(_header.AsSpan(0, Math.Min(length, _header.Length)));
                        break;
                }

                if (StallAfterReading() is { } resume)
                {
                    await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), resume), cancellationToken);
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

    public override void Dispose() => _socket.Dispose();
}
