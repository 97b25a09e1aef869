using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Receiver.Core.Plist;
using Receiver.Sender.Control;

namespace Receiver.Sender.Casting;

/// <summary>
/// The phone's side of video casting: HTTP/1.1 requests on the control port with the phone's
/// <c>X-Apple-Session-ID</c> (<c>/server-info</c>, <c>/play</c>, <c>/rate</c>, <c>/scrub</c>, <c>/playback-info</c>,
/// <c>/stop</c>), and a second connection turned into the reverse (PTTH) channel with <c>POST /reverse</c>.
/// </summary>
public sealed class CastClient : IAsyncDisposable
{
    public const string UserAgent = "AirPlay/550.10";

    private readonly TcpClient _control;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TcpClient? _reverse;
    private PipeReader? _reverseReader;
    private Task _answering = Task.CompletedTask;
    private readonly CancellationTokenSource _stop = new();

    private CastClient(TcpClient control)
    {
        _control = control;
        _reader = PipeReader.Create(control.GetStream(), new StreamPipeReaderOptions(leaveOpen: true));
    }

    /// <summary>The video states the receiver reported on the reverse channel (<c>loading</c>, <c>playing</c>, <c>paused</c>, <c>stopped</c>), in order.</summary>
    public List<string> Events { get; } = [];

    /// <summary>The phone's session id for this cast (a new UUID per client).</summary>
    public string SessionId { get; } = Guid.NewGuid().ToString("D").ToUpperInvariant();

    public static async Task<CastClient> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(host, port, cancellationToken);
        return new CastClient(client);
    }

    /// <summary>Opens the reverse channel on a second connection; returns the receiver's status (101 expected).</summary>
    public async Task<int> OpenReverseAsync(string host, int port, CancellationToken cancellationToken)
    {
        _reverse = new TcpClient { NoDelay = true };
        await _reverse.ConnectAsync(host, port, cancellationToken);
        var stream = _reverse.GetStream();
        var head = $"POST /reverse HTTP/1.1\r\nUpgrade: PTTH/1.0\r\nConnection: Upgrade\r\nX-Apple-Purpose: event\r\nContent-Length: 0\r\nUser-Agent: {UserAgent}\r\nX-Apple-Session-ID: {SessionId}\r\n\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head), cancellationToken);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var response = await ReadResponseAsync(reader, cancellationToken);
        _reverseReader = reader;
        return response.StatusCode;
    }

    /// <summary>
    /// Reads the receiver's requests on the reverse channel from here on and answers each <c>200</c>: video state
    /// events are kept in <see cref="Events"/>; with <paramref name="set"/>, <c>unhandledURLRequest</c>s are answered
    /// as the YouTube app does, with <c>POST /action</c> (<c>unhandledURLResponse</c>) on the control connection.
    /// </summary>
    public void AnswerPlaylistRequests(CastHlsSet? set)
    {
        var reader = _reverseReader ?? throw new InvalidOperationException("open the reverse channel first");
        _answering = Task.Run(() => AnswerAsync(reader, set, _stop.Token));
    }

    private async Task AnswerAsync(PipeReader reader, CastHlsSet? set, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (ReverseRequest.TryRead(ref buffer, out var body))
                {
                    await _reverse!.GetStream().WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), cancellationToken);
                    var plist = XmlPlist.Read(body) as PlistDict;
                    if (plist?.GetOptionalString("category") == "video" && plist.GetOptionalString("state") is { } state)
                    {
                        lock (Events)
                        {
                            Events.Add(state);
                        }
                    }

                    if (plist is not null && set is not null && plist.GetOptionalString("type") == "unhandledURLRequest" && plist.GetOptionalDict("request") is { } request)
                    {
                        var url = request.GetOptionalString("FCUP_Response_URL") ?? string.Empty;
                        var id = request.GetOptionalInt64("FCUP_Response_RequestID") ?? 0;
                        var (status, data) = set.Answer(url);
                        var action = new PlistDict
                        {
                            ["type"] = "unhandledURLResponse",
                            ["params"] = new PlistDict
                            {
                                ["FCUP_Response_Data"] = data,
                                ["FCUP_Response_RequestID"] = id,
                                ["FCUP_Response_URL"] = url,
                                ["FCUP_Response_StatusCode"] = status,
                            },
                        };
                        await SendAsync("POST", "/action", BinaryPlist.Write(action), "application/x-apple-binary-plist", cancellationToken);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public Task<RtspResponseMessage> ServerInfoAsync(CancellationToken cancellationToken) => SendAsync("GET", "/server-info", default, null, cancellationToken);

    /// <summary><c>POST /play</c> with the binary plist an iPhone sends.</summary>
    public Task<RtspResponseMessage> PlayAsync(Uri url, double startSeconds, string? title, CancellationToken cancellationToken) =>
        PlayAsync(url, startSeconds, title, requiresViewer: false, cancellationToken);

    /// <summary>
    /// <c>POST /play</c> with the binary plist an iPhone sends; with <paramref name="requiresViewer"/> the plist asks for
    /// a refusal rather than a wait when no viewer page is open (<c>requiresViewer</c> true).
    /// </summary>
    public Task<RtspResponseMessage> PlayAsync(Uri url, double startSeconds, string? title, bool requiresViewer, CancellationToken cancellationToken)
    {
        var plist = new PlistDict
        {
            ["Content-Location"] = url.AbsoluteUri,
            ["Start-Position-Seconds"] = startSeconds,
            ["uuid"] = Guid.NewGuid().ToString("D").ToUpperInvariant(),
            ["clientProcName"] = "Safari",
        };
        if (title is not null)
        {
            plist["title"] = title;
        }

        if (requiresViewer)
        {
            plist["requiresViewer"] = true;
        }

        return SendAsync("POST", "/play", BinaryPlist.Write(plist), "application/x-apple-binary-plist", cancellationToken);
    }

    /// <summary>
    /// <c>POST /play</c> in the older <c>text/parameters</c> form: <c>Content-Location</c> and <c>Start-Position</c>, a
    /// fraction of the video (0 to 1).
    /// </summary>
    public Task<RtspResponseMessage> PlayTextAsync(Uri url, double startFraction, bool requiresViewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Location: {url.AbsoluteUri}\nStart-Position: {startFraction:0.######}\n{(requiresViewer ? "Requires-Viewer: 1\n" : string.Empty)}"));
        return SendAsync("POST", "/play", body, "text/parameters", cancellationToken);
    }

    public Task<RtspResponseMessage> RateAsync(double rate, CancellationToken cancellationToken) =>
        SendAsync("POST", $"/rate?value={rate.ToString("0.000000", CultureInfo.InvariantCulture)}", default, null, cancellationToken);

    public Task<RtspResponseMessage> ScrubAsync(double seconds, CancellationToken cancellationToken) =>
        SendAsync("POST", $"/scrub?position={seconds.ToString("0.000000", CultureInfo.InvariantCulture)}", default, null, cancellationToken);

    public Task<RtspResponseMessage> StopAsync(CancellationToken cancellationToken) => SendAsync("POST", "/stop", default, null, cancellationToken);

    /// <summary><c>GET /playback-info</c>, read from its XML plist.</summary>
    public async Task<CastPlaybackInfo> PlaybackInfoAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync("GET", "/playback-info", default, null, cancellationToken);
        if (!response.IsSuccess || XmlPlist.Read(response.Body) is not PlistDict dict)
        {
            throw new InvalidOperationException($"playback-info: {response}");
        }

        return new CastPlaybackInfo(
            dict.TryGetReal("duration", out var duration) ? duration : 0,
            dict.TryGetReal("position", out var position) ? position : 0,
            dict.TryGetReal("rate", out var rate) ? rate : 0,
            dict.GetOptionalBoolean("readyToPlay") == true,
            dict.GetOptionalArray("loadedTimeRanges")?.Count ?? 0);
    }

    /// <summary>Sends one HTTP/1.1 request on the control connection and reads its answer.</summary>
    public async Task<RtspResponseMessage> SendAsync(string method, string target, ReadOnlyMemory<byte> body, string? contentType, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var head = new StringBuilder()
                .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
                .Append("User-Agent: ").Append(UserAgent).Append("\r\n")
                .Append("X-Apple-Session-ID: ").Append(SessionId).Append("\r\n")
                .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            if (contentType is not null)
            {
                head.Append("Content-Type: ").Append(contentType).Append("\r\n");
            }

            head.Append("\r\n");
            var stream = _control.GetStream();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellationToken);
            if (!body.IsEmpty)
            {
                await stream.WriteAsync(body, cancellationToken);
            }

            return await ReadResponseAsync(_reader, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<RtspResponseMessage> ReadResponseAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (RtspResponseParser.TryParse(ref buffer, out var response))
            {
                reader.AdvanceTo(buffer.Start);
                return response!;
            }

            if (result.IsCompleted)
            {
                throw new IOException("the receiver closed the connection without a complete response");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _reverse?.Dispose();
        await _answering.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        await _reader.CompleteAsync();
        _control.Dispose();
        _reverse?.Dispose();
        _gate.Dispose();
    }
}
