using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Receiver.Sender.Sessions;

namespace Receiver.Sender.Control;

/// <summary>
/// The sender's end of the control connection: writes RTSP requests with CSeq, DACP-ID, Active-Remote and
/// User-Agent headers, reads each response and checks that it echoes the request's CSeq. Requests are serialised,
/// so a periodic <c>POST /feedback</c> can share the connection with the main flow.
/// </summary>
public sealed class ControlConnection : IAsyncDisposable
{
    public const string UserAgent = "AirPlay/425.1";

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _dacpId;
    private readonly string _activeRemote;
    private int _cseq;

    private ControlConnection(TcpClient client, string dacpId, string activeRemote)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _dacpId = dacpId;
        _activeRemote = activeRemote;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_client.Client.LocalEndPoint!;

    public IPEndPoint RemoteEndPoint => (IPEndPoint)_client.Client.RemoteEndPoint!;

    /// <summary>The receiver's address as IPv4 when it is an IPv4-mapped IPv6 address (for the UDP streams).</summary>
    public IPAddress ReceiverAddress => RemoteEndPoint.Address.IsIPv4MappedToIPv6 ? RemoteEndPoint.Address.MapToIPv4() : RemoteEndPoint.Address;

    /// <summary>When set, sent as the <c>X-Apple-Device-ID</c> header on every request, as real senders do.</summary>
    public string? DeviceIdHeader { get; set; }

    /// <summary>The CSeq of the last request written.</summary>
    public int LastCSeq => _cseq;

    /// <summary>The <c>User-Agent</c> of every request: <c>AirPlay/</c> and the sender's source version (a replayed capture sends the captured sender's).</summary>
    public string UserAgentHeader { get; set; } = UserAgent;

    public static async Task<ControlConnection> ConnectAsync(string host, int port, string dacpId, uint activeRemote, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return new ControlConnection(client, dacpId, activeRemote.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Formats a request head (everything before the body).</summary>
    public static string FormatHead(string method, string target, int cseq, string dacpId, string activeRemote, int bodyLength, string? contentType, IEnumerable<KeyValuePair<string, string>>? extraHeaders, string userAgent = UserAgent)
    {
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(target).Append(" RTSP/1.0\r\n");
        foreach (var (name, value) in extraHeaders ?? [])
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (bodyLength > 0)
        {
            head.Append("Content-Length: ").Append(bodyLength.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            if (contentType is not null)
            {
                head.Append("Content-Type: ").Append(contentType).Append("\r\n");
            }
        }

        head.Append("CSeq: ").Append(cseq.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        head.Append("DACP-ID: ").Append(dacpId).Append("\r\n");
        head.Append("Active-Remote: ").Append(activeRemote).Append("\r\n");
        head.Append("User-Agent: ").Append(userAgent).Append("\r\n\r\n");
        return head.ToString();
    }

    /// <summary>Sends one request and returns the response; throws <see cref="SenderProtocolException"/> on a bad CSeq echo or a closed connection.</summary>
    public async Task<RtspResponseMessage> SendAsync(
        string method,
        string target,
        ReadOnlyMemory<byte> body = default,
        string? contentType = null,
        IEnumerable<KeyValuePair<string, string>>? extraHeaders = null,
        CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var cseq = ++_cseq;
            if (DeviceIdHeader is { } deviceId)
            {
                extraHeaders = [new("X-Apple-Device-ID", deviceId), .. extraHeaders ?? []];
            }

            var head = Encoding.Latin1.GetBytes(FormatHead(method, target, cseq, _dacpId, _activeRemote, body.Length, contentType, extraHeaders, UserAgentHeader));
            var request = new byte[head.Length + body.Length];
            head.CopyTo(request, 0);
            body.Span.CopyTo(request.AsSpan(head.Length));
            await _stream.WriteAsync(request, cancellationToken);
            var response = await ReadResponseAsync(cancellationToken);
            var echoed = response.Headers["CSeq"];
            if (echoed != cseq.ToString(CultureInfo.InvariantCulture))
            {
                throw new SenderProtocolException($"{method} {target}: response CSeq '{echoed ?? "(none)"}' does not echo request CSeq {cseq}.");
            }

            return response;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RtspResponseMessage> ReadResponseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            RtspResponseMessage? response;
            try
            {
                if (RtspResponseParser.TryParse(ref buffer, out response))
                {
                    _reader.AdvanceTo(buffer.Start);
                    return response!;
                }
            }
            catch (FormatException e)
            {
                throw new SenderProtocolException("Malformed response: " + e.Message, e);
            }

            if (result.IsCompleted)
            {
                throw new SenderProtocolException("The receiver closed the control connection without a complete response.");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Resets the connection: the receiver sees an RST instead of an orderly close.</summary>
    public void Reset()
    {
        _client.Client.LingerState = new LingerOption(true, 0);
        _client.Client.Close();
    }

    /// <summary>
    /// Sends nothing and reads until the receiver closes the connection (true) or <paramref name="cancellationToken"/>
    /// ends the wait (false). Bytes the receiver sends meanwhile are discarded.
    /// </summary>
    public async Task<bool> WaitForCloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(cancellationToken);
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _client.Dispose();
        _gate.Dispose();
    }
}
