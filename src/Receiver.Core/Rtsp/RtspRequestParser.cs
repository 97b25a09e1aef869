using System.Buffers;
using System.Buffers.Text;

namespace Receiver.Core.Rtsp;

/// <summary>
/// Parses control-channel requests (RTSP/1.0 and HTTP/1.x syntax) from a pipe's buffer.
/// Pure: bytes in, a request or <see cref="RtspProtocolException"/> out.
/// </summary>
public static class RtspRequestParser
{
    /// <summary>
    /// Parses one request from the front of <paramref name="buffer"/>.
    /// Returns false when more bytes are needed (nothing consumed); on success <paramref name="buffer"/> is sliced past the request.
    /// A connection reading requests as they arrive uses one <see cref="RtspRequestReader"/> instead, which keeps what
    /// it parsed between reads.
    /// </summary>
    /// <exception cref="RtspProtocolException">The request is malformed or over a limit.</exception>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, RtspLimits limits, out RtspRequest? request)
    {
        var consumed = buffer.Start;
        var examined = buffer.Start;
        var state = default(RtspRequestReadState);
        if (!RtspRequestReader.TryParse(ref state, limits, buffer, ref consumed, ref examined, out request))
        {
            return false;
        }

        buffer = buffer.Slice(consumed);
        return true;
    }

    /// <summary>Parses a request head (without its blank line), attaching the request's CSeq to any error.</summary>
    internal static RtspRequestHead ParseHead(ReadOnlySequence<byte> head, RtspLimits limits)
    {
        if (head.IsSingleSegment)
        {
            return ParseHead(head.FirstSpan, limits);
        }

        var length = (int)head.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            head.CopyTo(rented);
            return ParseHead(rented.AsSpan(0, length), limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static RtspRequestHead ParseHead(ReadOnlySpan<byte> head, RtspLimits limits)
    {
        try
        {
            return ParseHeadFields(head, limits);
        }
        catch (RtspProtocolException ex) when (ex.CSeq is null && FindCSeq(head) is { } cseq)
        {
            throw new RtspProtocolException(ex.Reason, ex.Message, cseq);
        }
    }

    /// <summary>The value of a well-formed <c>CSeq</c> line (digits only) anywhere in a head that failed to parse.</summary>
    private static string? FindCSeq(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var rest = lineEnd >= 0 ? head[(lineEnd + 2)..] : [];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end >= 0 ? rest[..end] : rest;
            rest = end >= 0 ? rest[(end + 2)..] : [];
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && System.Text.Ascii.EqualsIgnoreCase(line[..colon], "CSeq"u8))
            {
                var value = line[(colon + 1)..].Trim((byte)' ').Trim((byte)'\t');
                if (value.Length is > 0 and <= 10 && value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
                {
                    return Latin1(value);
                }
            }
        }

        return null;
    }

    private static RtspRequestHead ParseHeadFields(ReadOnlySpan<byte> head, RtspLimits limits)
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

        return new RtspRequestHead(method, target, protocol, headers, contentLength);
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

    private static string Latin1(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);
}
