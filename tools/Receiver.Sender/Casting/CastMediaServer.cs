using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Receiver.Sender.Casting;

/// <summary>
/// The phone's media server for a cast: serves files from one folder over HTTP/1.1 on loopback, with byte ranges
/// (<c>206</c>), which a browser's <c>&lt;video&gt;</c> needs to seek. Only GET and HEAD of names in the folder. With
/// <c>cors</c> it lets pages of any origin read what it serves (<c>Access-Control-Allow-Origin</c> naming the
/// request's <c>Origin</c>), as CDNs that serve web players do; without, it sends no CORS header at all.
/// </summary>
public sealed class CastMediaServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _root;
    private readonly bool _cors;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _requests;
    private long _segmentRequests;
    private long _crossOriginSegmentRequests;
    private long _corsProbes;

    private CastMediaServer(TcpListener listener, string root, bool cors)
    {
        _listener = listener;
        _root = root;
        _cors = cors;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests served so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>GETs of HLS segments (<c>.ts</c>) so far, first-byte requests (<c>Range: bytes=0-0</c>, a receiver asking about CORS) not counted.</summary>
    public long SegmentRequests => Interlocked.Read(ref _segmentRequests);

    /// <summary>Of <see cref="SegmentRequests"/>, those that carried an <c>Origin</c> header: a page fetched the segment itself, across origins.</summary>
    public long CrossOriginSegmentRequests => Interlocked.Read(ref _crossOriginSegmentRequests);

    /// <summary>First-byte GETs of HLS segments (<c>Range: bytes=0-0</c>) with an <c>Origin</c>: a receiver asking whether pages may read them.</summary>
    public long CorsProbes => Interlocked.Read(ref _corsProbes);

    /// <summary>The URL of <paramref name="name"/> in the folder.</summary>
    public Uri UrlOf(string name) => new($"http://127.0.0.1:{Port}/{name}");

    /// <param name="root">The folder served.</param>
    /// <param name="port">The loopback port (0: any free one).</param>
    /// <param name="cors">Answer cross-origin reads with <c>Access-Control-Allow-Origin</c>.</param>
    public static CastMediaServer Start(string root, int port = 0, bool cors = false)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new CastMediaServer(listener, root, cors);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.Latin1, false, 4096, leaveOpen: true);
            while (!_stop.IsCancellationRequested)
            {
                var requestLine = await reader.ReadLineAsync(_stop.Token);
                if (string.IsNullOrEmpty(requestLine))
                {
                    return;
                }

                string? range = null;
                string? origin = null;
                string? line;
                while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
                {
                    if (line.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))
                    {
                        range = line[6..].Trim();
                    }
                    else if (line.StartsWith("Origin:", StringComparison.OrdinalIgnoreCase))
                    {
                        origin = line[7..].Trim();
                    }
                }

                Interlocked.Increment(ref _requests);
                await RespondAsync(stream, requestLine.Split(' '), range, origin);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task RespondAsync(NetworkStream stream, string[] request, string? range, string? origin)
    {
        var allowOrigin = _cors && origin is not null ? origin : null;
        var name = request.Length >= 2 ? Uri.UnescapeDataString(request[1].Split('?')[0].TrimStart('/')) : string.Empty;
        if (name.StartsWith("videoplayback/", StringComparison.Ordinal) && name.Split('/') is [_, "id", var variant, "sq", var sequence])
        {
            // A YouTube-like segment address (CastHlsSet's condensed playlists expand to it).
            name = $"seg_{variant}_{sequence}.ts";
        }

        var path = Path.Combine(_root, name);
        if (request.Length < 3 || request[0] is not ("GET" or "HEAD") || name.Contains("..", StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal) || !File.Exists(path))
        {
            await WriteHeadAsync(stream, "404 Not Found", "text/plain", 0, null, allowOrigin);
            return;
        }

        if (request[0] == "GET" && name.EndsWith(".ts", StringComparison.Ordinal) && range == "bytes=0-0")
        {
            if (origin is not null)
            {
                Interlocked.Increment(ref _corsProbes);
            }
        }
        else if (request[0] == "GET" && name.EndsWith(".ts", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _segmentRequests);
            if (origin is not null)
            {
                Interlocked.Increment(ref _crossOriginSegmentRequests);
            }
        }

        var length = new FileInfo(path).Length;
        long start = 0;
        var end = length - 1;
        var status = "200 OK";
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            var parts = range[6..].Split('-');
            start = long.Parse(parts[0], CultureInfo.InvariantCulture);
            if (parts.Length > 1 && parts[1].Length > 0)
            {
                end = Math.Min(end, long.Parse(parts[1], CultureInfo.InvariantCulture));
            }

            status = "206 Partial Content";
        }

        var type = name.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl"
            : name.EndsWith(".ts", StringComparison.Ordinal) ? "video/mp2t"
            : "video/mp4";
        await WriteHeadAsync(stream, status, type, end - start + 1, status.StartsWith("206", StringComparison.Ordinal) ? $"bytes {start}-{end}/{length}" : null, allowOrigin);
        if (request[0] == "HEAD")
        {
            return;
        }

        await using var file = File.OpenRead(path);
        file.Position = start;
        var left = end - start + 1;
        var buffer = new byte[64 * 1024];
        while (left > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), _stop.Token);
            if (read == 0)
            {
                break;
            }

            await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            left -= read;
        }
    }

    private static async Task WriteHeadAsync(NetworkStream stream, string status, string type, long length, string? contentRange, string? allowOrigin)
    {
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append("\r\n")
            .Append("Content-Type: ").Append(type).Append("\r\n")
            .Append("Accept-Ranges: bytes\r\n")
            .Append("Content-Length: ").Append(length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        if (allowOrigin is not null)
        {
            head.Append("Access-Control-Allow-Origin: ").Append(allowOrigin).Append("\r\nVary: Origin\r\n");
        }

        if (contentRange is not null)
        {
            head.Append("Content-Range: ").Append(contentRange).Append("\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
