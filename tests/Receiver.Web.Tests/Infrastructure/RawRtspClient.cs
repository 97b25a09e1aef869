using System.Net.Sockets;
using System.Text;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>A raw TCP client for the control port: writes bytes as given and reads responses byte-exactly.</summary>
public sealed class RawRtspClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly MemoryStream _pending = new();

    private RawRtspClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static Task<RawRtspClient> ConnectAsync(int port) => ConnectAsync(port, null);

    /// <summary>Connects from <paramref name="localAddress"/> (another loopback address stands for another machine).</summary>
    public static async Task<RawRtspClient> ConnectAsync(int port, System.Net.IPAddress? localAddress)
    {
        var client = new TcpClient(new System.Net.IPEndPoint(localAddress ?? System.Net.IPAddress.Any, 0));
        await client.ConnectAsync("127.0.0.1", port);
        return new RawRtspClient(client);
    }

    /// <summary>
    /// Connects from <paramref name="from"/> and waits for the receiver to close the connection; a reset while
    /// connecting (the receiver refused it before the client's connect completed) counts as closed.
    /// </summary>
    public static async Task<bool> IsClosedAtOnceAsync(int port, System.Net.IPAddress from, TimeSpan patience)
    {
        try
        {
            await using var client = await ConnectAsync(port, from);
            return await client.WaitForCloseAsync(patience);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return true;
        }
    }

    public NetworkStream Stream => _stream;

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    public async Task<RawResponse> SendRequestAsync(string method, string target, int cseq, byte[]? body = null, string? contentType = null, IEnumerable<string>? extraHeaders = null)
    {
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(target).Append(" RTSP/1.0\r\n");
        head.Append("CSeq: ").Append(cseq).Append("\r\n");
        head.Append("User-Agent: AirPlay/425.1\r\n");
        foreach (var header in extraHeaders ?? [])
        {
            head.Append(header).Append("\r\n");
        }

        if (body is not null)
        {
            if (contentType is not null)
            {
                head.Append("Content-Type: ").Append(contentType).Append("\r\n");
            }

            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        head.Append("\r\n");
        await SendAsync([.. Encoding.Latin1.GetBytes(head.ToString()), .. body ?? []]);
        return await ReadResponseAsync();
    }

    /// <summary>Reads one response; throws <see cref="EndOfStreamException"/> if the receiver closed the connection first.</summary>
    public async Task<RawResponse> ReadResponseAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[8192];
        while (true)
        {
            var data = _pending.ToArray();
            var headEnd = IndexOf(data, "\r\n\r\n"u8);
            if (headEnd >= 0)
            {
                var head = Encoding.Latin1.GetString(data, 0, headEnd);
                var lines = head.Split("\r\n");
                var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : string.Empty, StringComparer.OrdinalIgnoreCase);
                var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
                if (data.Length >= headEnd + 4 + length)
                {
                    var body = data.AsSpan(headEnd + 4, length).ToArray();
                    _pending.SetLength(0);
                    _pending.Write(data, headEnd + 4 + length, data.Length - headEnd - 4 - length);
                    var statusParts = lines[0].Split(' ', 3);
                    return new RawResponse(statusParts[0], int.Parse(statusParts[1], System.Globalization.CultureInfo.InvariantCulture), lines[0], headers, body);
                }
            }

            var read = await _stream.ReadAsync(buffer, cts.Token);
            if (read == 0)
            {
                throw new EndOfStreamException("the receiver closed the connection");
            }

            _pending.Write(buffer, 0, read);
        }
    }

    /// <summary>True if the receiver closes the connection within <paramref name="timeout"/> (any bytes before are discarded).</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> pattern) => data.AsSpan().IndexOf(pattern);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed record RawResponse(string Protocol, int Status, string StatusLine, IReadOnlyDictionary<string, string> Headers, byte[] Body);
