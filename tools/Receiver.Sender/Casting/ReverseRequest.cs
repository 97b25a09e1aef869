using System.Buffers;
using System.Globalization;
using System.Text;

namespace Receiver.Sender.Casting;

/// <summary>Reads the receiver's requests on the reverse channel (<c>POST /event HTTP/1.1</c>, headers, a Content-Length body). Pure.</summary>
public static class ReverseRequest
{
    public const int MaxHeadBytes = 16 * 1024;
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Takes one whole request from the front of <paramref name="buffer"/>; false when more bytes are needed.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out byte[] body)
    {
        body = [];
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8, advancePastDelimiter: true))
        {
            return buffer.Length <= MaxHeadBytes ? false : throw new FormatException("reverse request head too long");
        }

        var length = 0;
        foreach (var line in Encoding.Latin1.GetString(head).Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)
                && (!int.TryParse(line.AsSpan(15).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > MaxBodyBytes))
            {
                throw new FormatException("reverse request with a bad Content-Length");
            }
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        body = reader.UnreadSequence.Slice(0, length).ToArray();
        buffer = buffer.Slice(reader.Position).Slice(length);
        return true;
    }
}
