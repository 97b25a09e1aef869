using System.Buffers;
using System.Globalization;
using System.Text;

namespace Receiver.Core.Rtsp;

/// <summary>
/// Writes control-channel responses in the header order AirPlay senders see from Apple TVs:
/// <c>Audio-Jack-Status</c> (except on RECORD), the handler's headers, <c>Server</c>, <c>CSeq</c>, <c>Date</c>, <c>Content-Length</c>.
/// </summary>
public static class RtspResponseWriter
{
    public const string ServerHeader = "AirTunes/220.68";

    /// <summary>Writes <paramref name="response"/> to <paramref name="output"/>, answering <paramref name="request"/> (null when the request could not be parsed).</summary>
    public static void Write(RtspResponse response, RtspRequest? request, DateTimeOffset now, IBufferWriter<byte> output) =>
        Write(response, request?.Protocol ?? "RTSP/1.0", request?.CSeq, request?.CSeq is not null && request.Method != "RECORD", now, output);

    /// <summary>
    /// Writes the answer to a request that could not be parsed: the status <paramref name="error"/> calls for, the
    /// request's CSeq when its head carried one, and <c>Connection: close</c>.
    /// </summary>
    public static void WriteRefusal(RtspProtocolException error, DateTimeOffset now, IBufferWriter<byte> output) =>
        Write(RtspResponse.Status(error.StatusCode, close: true), "RTSP/1.0", error.CSeq, jackStatus: false, now, output);

    private static void Write(RtspResponse response, string protocol, string? cseq, bool jackStatus, DateTimeOffset now, IBufferWriter<byte> output)
    {
        var builder = new StringBuilder(256);
        builder.Append(protocol).Append(' ')
            .Append(response.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(RtspStatus.ReasonPhrase(response.StatusCode)).Append("\r\n");

        if (jackStatus && !response.Headers.Contains("Audio-Jack-Status"))
        {
            builder.Append("Audio-Jack-Status: connected; type=digital\r\n");
        }

        foreach (var header in response.Headers)
        {
            builder.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        }

        builder.Append("Server: ").Append(ServerHeader).Append("\r\n");
        if (cseq is not null)
        {
            builder.Append("CSeq: ").Append(cseq).Append("\r\n");
        }

        builder.Append("Date: ").Append(now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
        if (response.CloseConnection && !response.Headers.Contains("Connection"))
        {
            builder.Append("Connection: close\r\n");
        }

        builder.Append("Content-Length: ").Append(response.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");

        var head = builder.ToString();
        var span = output.GetSpan(head.Length);
        var written = Encoding.Latin1.GetBytes(head, span);
        output.Advance(written);
        if (!response.Body.IsEmpty)
        {
            output.Write(response.Body.Span);
        }
    }
}
