using System.Buffers;
using System.Globalization;
using System.Text;
using Receiver.Core.Rtsp;

namespace Receiver.Sender.Control;

/// <summary>
/// Parses RTSP/HTTP-style responses (<c>RTSP/1.0 200 OK</c>, headers, <c>Content-Length</c> body) from a byte buffer.
/// Pure: bytes in, a response or a <see cref="FormatException"/> out.
/// </summary>
public static class RtspResponseParser
{
    public const int MaxHeadLength = 16 * 1024;
    public const int MaxBodyLength = 16 * 1024 * 1024;

    private static ReadOnlySpan<byte> HeadTerminator => "\r\n\r\n"u8;

    /// <summary>
    /// Reads one complete response from the start of <paramref name="buffer"/> and advances it past the response;
    /// returns false (buffer unchanged) when more bytes are needed.
    /// </summary>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, out RtspResponseMessage? response)
    {
        response = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, HeadTerminator, advancePastDelimiter: true))
        {
            if (buffer.Length > MaxHeadLength)
            {
                throw new FormatException($"Response head longer than {MaxHeadLength} bytes.");
            }

            return false;
        }

        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        if (statusParts.Length < 2 || !statusParts[0].Contains('/', StringComparison.Ordinal)
            || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new FormatException($"Malformed status line '{lines[0]}'.");
        }

        var headers = new RtspHeaders();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Malformed header line '{line}'.");
            }

            headers.Add(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }

        var length = 0;
        if (headers["Content-Length"] is { } lengthText
            && (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > MaxBodyLength))
        {
            throw new FormatException($"Invalid Content-Length '{lengthText}'.");
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        var body = reader.UnreadSequence.Slice(0, length).ToArray();
        buffer = buffer.Slice(reader.Position).Slice(length);
        response = new RtspResponseMessage(statusParts[0], status, statusParts.Length > 2 ? statusParts[2] : string.Empty, headers, body);
        return true;
    }
}
