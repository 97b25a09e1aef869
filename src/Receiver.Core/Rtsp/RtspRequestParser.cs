using System.Buffers;
using System.Buffers.Text;

namespace Receiver.Core.Rtsp;

/// <summary>
/// Parses control-channel requests (RTSP/1.0 and HTTP/1.x syntax) from a pipe's buffer.
/// Pure: bytes in, a request or <see cref="RtspProtocolException"/> out.
/// </summary>
public static class RtspRequestParser
{
    private static ReadOnlySpan<byte> HeadTerminator => "\r\n\r\n"u8;

    /// <summary>
    /// Parses one request from the front of <paramref name="buffer"/>.
    /// Returns false when more bytes are needed (nothing consumed); on success <paramref name="buffer"/> is sliced past the request.
    /// </summary>
    /// <exception cref="RtspProtocolException">The request is malformed or over a limit.</exception>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, RtspLimits limits, out RtspRequest? request)
    {
        request = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, HeadTerminator, advancePastDelimiter: true))
        {
            if (buffer.Length > limits.MaxHeadBytes)
            {
                throw new RtspProtocolException(RtspErrorReason.HeaderTooLarge, $"request head exceeds {limits.MaxHeadBytes} bytes");
            }

            return false;
        }

        if (head.Length + HeadTerminator.Length > limits.MaxHeadBytes)
        {
            throw new RtspProtocolException(RtspErrorReason.HeaderTooLarge, $"request head exceeds {limits.MaxHeadBytes} bytes");
        }

        RequestHead parsed;
        if (head.IsSingleSegment)
        {
            parsed = ParseHead(head.FirstSpan, limits);
        }
        else
        {
            var length = (int)head.Length;
            var rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                head.CopyTo(rented);
                parsed = ParseHead(rented.AsSpan(0, length), limits);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        var body = ReadOnlyMemory<byte>.Empty;
        if (parsed.ContentLength > 0)
        {
            if (reader.Remaining < parsed.ContentLength)
            {
                return false;
            }

            body = reader.Sequence.Slice(reader.Position, parsed.ContentLength).ToArray();
            reader.Advance(parsed.ContentLength);
        }

        buffer = buffer.Slice(reader.Position);
        request = new RtspRequest(parsed.Method, parsed.Target, parsed.Protocol, parsed.Headers, body);
        return true;
    }

    private static RequestHead ParseHead(ReadOnlySpan<byte> head, RtspLimits limits)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd >= 0 ? head[..lineEnd] : head;
        var rest = lineEnd >= 0 ? head[(lineEnd + 2)..] : [];

        var firstSpace = requestLine.IndexOf((byte)' ');
        var lastSpace = requestLine.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1 || lastSpace == requestLine.Length - 1)
        {
            throw new RtspProtocolException(RtspErrorReason.InvalidRequestLine, "request line is not 'METHOD target protocol'");
        }

        var methodBytes = requestLine[..firstSpace];
        var targetBytes = requestLine[(firstSpace + 1)..lastSpace];
        var protocolBytes = requestLine[(lastSpace + 1)..];
        if (!IsToken(methodBytes) || !IsVisible(targetBytes))
        {
            throw new RtspProtocolException(RtspErrorReason.InvalidRequestLine, "request line has invalid characters");
        }

        var protocol = InternProtocol(protocolBytes)
            ?? throw new RtspProtocolException(RtspErrorReason.UnsupportedProtocol, "protocol must be RTSP/1.0 or HTTP/1.x");
        var method = KnownStrings.Method(methodBytes) ?? Latin1(methodBytes);
        var target = Latin1(targetBytes);

        var headers = new RtspHeaders(8);
        var contentLength = 0;
        var sawContentLength = false;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end >= 0 ? rest[..end] : rest;
            rest = end >= 0 ? rest[(end + 2)..] : [];

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                throw new RtspProtocolException(RtspErrorReason.InvalidHeader, "header line without a valid name");
            }

            if (headers.Count == limits.MaxHeaderCount)
            {
                throw new RtspProtocolException(RtspErrorReason.TooManyHeaders, $"more than {limits.MaxHeaderCount} header fields");
            }

            var nameBytes = line[..colon];
            var valueBytes = line[(colon + 1)..].Trim((byte)' ').Trim((byte)'\t');
            if (valueBytes.ContainsAnyInRange((byte)0, (byte)8) || valueBytes.ContainsAnyInRange((byte)10, (byte)31) || valueBytes.Contains((byte)127))
            {
                throw new RtspProtocolException(RtspErrorReason.InvalidHeader, "header value has control characters");
            }

            var name = KnownStrings.HeaderName(nameBytes) ?? Latin1(nameBytes);
            if (ReferenceEquals(name, KnownStrings.ContentLength))
            {
                var length = ParseContentLength(valueBytes, limits);
                if (sawContentLength && length != contentLength)
                {
                    throw new RtspProtocolException(RtspErrorReason.InvalidContentLength, "conflicting Content-Length headers");
                }

                sawContentLength = true;
                contentLength = length;
            }

            headers.Add(name, Latin1(valueBytes));
        }

        return new RequestHead(method, target, protocol, headers, contentLength);
    }

    private static int ParseContentLength(ReadOnlySpan<byte> value, RtspLimits limits)
    {
        if (value.IsEmpty || value.Length > 19 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
            || !Utf8Parser.TryParse(value, out long length, out var consumed) || consumed != value.Length)
        {
            throw new RtspProtocolException(RtspErrorReason.InvalidContentLength, "Content-Length is not a non-negative integer");
        }

        if (length > limits.MaxBodyBytes)
        {
            throw new RtspProtocolException(RtspErrorReason.BodyTooLarge, $"body of {length} bytes exceeds {limits.MaxBodyBytes}");
        }

        return (int)length;
    }

    private static string? InternProtocol(ReadOnlySpan<byte> protocol)
    {
        if (protocol.SequenceEqual("RTSP/1.0"u8))
        {
            return "RTSP/1.0";
        }

        if (protocol.SequenceEqual("HTTP/1.1"u8))
        {
            return "HTTP/1.1";
        }

        return protocol.SequenceEqual("HTTP/1.0"u8) ? "HTTP/1.0" : null;
    }

    private static bool IsToken(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b <= 32 || b >= 127 || b == (byte)':' || b == (byte)'(' || b == (byte)')' || b == (byte)'"' || b == (byte)'/' || b == (byte)'\\')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVisible(ReadOnlySpan<byte> value) => !value.IsEmpty && !value.ContainsAnyInRange((byte)0, (byte)32) && !value.Contains((byte)127);

    private readonly record struct RequestHead(string Method, string Target, string Protocol, RtspHeaders Headers, int ContentLength);

    private static string Latin1(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);
}
