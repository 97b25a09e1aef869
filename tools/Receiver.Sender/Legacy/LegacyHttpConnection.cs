using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Receiver.Sender.Control;
using Receiver.Sender.Sessions;

namespace Receiver.Sender.Legacy;

/// <summary>
/// The sender's end of a legacy port-7100 connection: plain HTTP/1.1 requests (no CSeq, DACP-ID or User-Agent)
/// answered one by one, then <c>POST /stream</c>, which gets no answer and turns the socket into the packet stream.
/// From then on anything the receiver sends back (such as a 400 refusing the stream) is a failure, and the end of the
/// session is a half-close followed by the receiver closing its side.
/// </summary>
public sealed class LegacyHttpConnection : IAsyncDisposable
{
    private const string ReceiverClosed = "the receiver closed the connection during the stream";

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private Task<string?>? _watch;

    private LegacyHttpConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    /// <summary>The socket's stream, for the packets after <c>POST /stream</c>.</summary>
    public Stream Stream => _stream;

    /// <summary>Set once the receiver sent bytes or closed the connection during the packet stream.</summary>
    public string? StreamProblem => _watch is { IsCompleted: true } watch ? watch.Result : null;

    public static async Task<LegacyHttpConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
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

        return new LegacyHttpConnection(client);
    }

    /// <summary>Formats a request head: request line, the given headers, <c>Content-Length</c> (always, as legacy senders do).</summary>
    public static string FormatHead(string method, string path, int bodyLength, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\n");
        foreach (var (name, value) in headers ?? [])
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(bodyLength.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        return head.ToString();
    }

    /// <summary>Sends one request and reads its response.</summary>
    public async Task<RtspResponseMessage> SendAsync(string method, string path, ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        if (_watch is not null)
        {
            throw new InvalidOperationException("The connection already carries the packet stream.");
        }

        await WriteRequestAsync(method, path, body, headers, cancellationToken);
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            RtspResponseMessage? response;
            bool parsed;
            try
            {
                parsed = RtspResponseParser.TryParse(ref buffer, out response);
            }
            finally
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (parsed)
            {
                return response!;
            }

            if (result.IsCompleted)
            {
                throw new SenderProtocolException($"{method} {path}: the receiver closed the connection without a complete response.");
            }
        }
    }

    /// <summary>Sends <c>POST /stream</c> (no response is expected) and starts watching the socket for unexpected bytes.</summary>
    public async Task PostStreamAsync(ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        await WriteRequestAsync("POST", "/stream", body, headers, cancellationToken);
        _watch = WatchAsync();
    }

    /// <summary>
    /// Ends the stream: half-closes the socket and waits up to <paramref name="timeout"/> for the receiver to close its side.
    /// Returns what went wrong (bytes from the receiver, or no close in time), or null.
    /// </summary>
    public async Task<string?> CloseAsync(TimeSpan timeout)
    {
        _client.Client.Shutdown(SocketShutdown.Send);
        if (_watch is null)
        {
            return null;
        }

        try
        {
            var problem = await _watch.WaitAsync(timeout);
            return problem == ReceiverClosed ? null : problem;
        }
        catch (TimeoutException)
        {
            return $"the receiver did not close the connection within {timeout.TotalSeconds:F0} s of the sender's close";
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_watch is not null)
        {
            await _watch;
        }

        await _reader.CompleteAsync();
    }

    private async Task WriteRequestAsync(string method, string path, ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        var head = Encoding.ASCII.GetBytes(FormatHead(method, path, body.Length, headers));
        var request = new byte[head.Length + body.Length];
        head.CopyTo(request, 0);
        body.Span.CopyTo(request.AsSpan(head.Length));
        await _stream.WriteAsync(request, cancellationToken);
    }

    private async Task<string?> WatchAsync()
    {
        try
        {
            var result = await _reader.ReadAsync();
            var buffer = result.Buffer;
            if (buffer.IsEmpty && result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                return ReceiverClosed;
            }

            var copy = buffer;
            var answer = RtspResponseParser.TryParse(ref copy, out var response) && response is not null
                ? $"{response.Protocol} {response.StatusCode} {response.ReasonPhrase}"
                : $"{buffer.Length} bytes";
            _reader.AdvanceTo(buffer.End);
            return $"the receiver answered POST /stream ({answer}); it must send nothing";
        }
        catch (FormatException e)
        {
            return $"the receiver sent an unreadable answer to POST /stream: {e.Message}";
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return ReceiverClosed + ": " + e.Message;
        }
    }
}
