using System.Buffers;
using System.Text;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Tests.Rtsp;

public class RtspResponseWriterTests
{
    private static RtspRequest Request(string method, string cseq)
    {
        var headers = new RtspHeaders();
        headers.Add("CSeq", cseq);
        return new RtspRequest(method, "/info", "RTSP/1.0", headers, ReadOnlyMemory<byte>.Empty);
    }

    [Fact]
    public void Write_OkWithBody_EchoesCSeqAndOrdersHeaders()
    {
        var output = new ArrayBufferWriter<byte>();
        var response = RtspResponse.WithBody(new byte[] { 1, 2, 3 }, "application/octet-stream");

        RtspResponseWriter.Write(response, Request("GET", "7"), DateTimeOffset.UnixEpoch, output);

        var text = Encoding.Latin1.GetString(output.WrittenSpan);
        Assert.StartsWith("RTSP/1.0 200 OK\r\nAudio-Jack-Status: connected; type=digital\r\nContent-Type: application/octet-stream\r\nServer: AirTunes/220.68\r\nCSeq: 7\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nContent-Length: 3\r\n\r\n", text, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 1, 2, 3 }, output.WrittenSpan[^3..].ToArray());
    }

    [Fact]
    public void Write_Record_HasNoAudioJackStatus()
    {
        var output = new ArrayBufferWriter<byte>();

        RtspResponseWriter.Write(RtspResponse.Ok(), Request("RECORD", "6"), DateTimeOffset.UnixEpoch, output);

        Assert.DoesNotContain("Audio-Jack-Status", Encoding.Latin1.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ErrorWithoutRequest_UsesRtspAndCloses()
    {
        var output = new ArrayBufferWriter<byte>();

        RtspResponseWriter.Write(RtspResponse.Status(RtspStatus.PayloadTooLarge, close: true), null, DateTimeOffset.UnixEpoch, output);

        var text = Encoding.Latin1.GetString(output.WrittenSpan);
        Assert.StartsWith("RTSP/1.0 413 Request Entity Too Large\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", text, StringComparison.Ordinal);
    }
}
