using System.Text.Json;
using Receiver.Web.Media;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Frontend;

/// <summary>
/// The viewer's reading of the media WebSocket header (wwwroot/js/player/protocol.js, <c>parseFrame</c>) against the
/// header the receiver writes (<see cref="MediaFrameHeader.Write"/>): every field, in Chromium.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class MediaFrameProtocolTests(ChromiumFixture chromium)
{
    private const string Parse =
        """
        async (messages) => {
          const protocol = await import('/js/player/protocol.js');
          const frames = messages.map((base64) => {
            const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
            const frame = protocol.parseFrame(bytes.buffer);
            return { ...frame, payload: Array.from(frame.payload) };
          });
          const kinds = [protocol.KIND_INIT, protocol.KIND_MEDIA, protocol.KIND_AUDIO_INIT, protocol.KIND_AUDIO_MEDIA];
          return JSON.stringify({ kinds, frames });
        }
        """;

    private static readonly byte[] Payload = [0x00, 0x00, 0x00, 0x01, 0x65, 0xFF];

    private static readonly MediaFrameHeader[] Headers =
    [
        // A keyframe with every field set; a sequence number above 2^31 (unsigned); times of a real session.
        new(MediaFrameKind.Media, true, 0xF000_0001, 1_234_567_890_123, 1_764_000_000_123_456, 1_764_000_000_140_001, 1_764_000_000_141_999),
        // An init segment: no sequence, no timestamp, sender and received times unknown.
        new(MediaFrameKind.InitSegment, false, 0, 0, 0, 0, 1_764_000_000_000_000),
        // Audio: the largest timestamp a JavaScript number holds exactly, microsecond-sized times.
        new(MediaFrameKind.AudioMedia, false, 77, 9_007_199_254_740_991, 1, 2, 3),
        new(MediaFrameKind.AudioInitSegment, false, 0, 5_000_000, 0, 1_764_000_000_000_001, 1_764_000_000_000_002),
        // A delta frame: only the keyframe flag differs from the first.
        new(MediaFrameKind.Media, false, 2, 16_667, 1_764_000_000_016_667, 1_764_000_000_030_000, 1_764_000_000_030_500),
        // A backlog picture (the GOP a late joiner receives first), keyframe and not.
        new(MediaFrameKind.Media, true, 3, 33_333, 1_764_000_000_033_333, 1_764_000_000_040_000, 1_764_000_001_000_000, IsBacklog: true),
        new(MediaFrameKind.Media, false, 4, 50_000, 1_764_000_000_050_000, 1_764_000_000_060_000, 1_764_000_001_000_100, IsBacklog: true),
        // The backlog's last picture.
        new(MediaFrameKind.Media, false, 5, 66_667, 1_764_000_000_066_667, 1_764_000_000_070_000, 1_764_000_001_000_200, IsBacklog: true, IsBacklogEnd: true),
    ];

    [ChromiumFact]
    public async Task ParseFrame_ReadsEveryFieldThatMediaFrameHeaderWrites()
    {
        await using var host = await ReceiverHost.StartAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, "/").ToString());

        var messages = Headers.Select(header =>
        {
            var message = new byte[MediaFrameHeader.Length + Payload.Length];
            header.Write(message);
            Payload.CopyTo(message, MediaFrameHeader.Length);
            return Convert.ToBase64String(message);
        }).ToArray();
        var json = await page.EvaluateAsync<string>(Parse, messages);
        var root = JsonDocument.Parse(json).RootElement;

        var kinds = root.GetProperty("kinds").EnumerateArray().Select(k => k.GetInt32()).ToArray();
        Assert.Equal(
            [(int)MediaFrameKind.InitSegment, (int)MediaFrameKind.Media, (int)MediaFrameKind.AudioInitSegment, (int)MediaFrameKind.AudioMedia],
            kinds);

        var frames = root.GetProperty("frames").EnumerateArray().ToArray();
        Assert.Equal(Headers.Length, frames.Length);
        for (var i = 0; i < Headers.Length; i++)
        {
            var header = Headers[i];
            var frame = frames[i];
            Assert.Equal((int)header.Kind, frame.GetProperty("kind").GetInt32());
            Assert.Equal(header.IsKeyframe, frame.GetProperty("keyframe").GetBoolean());
            Assert.Equal(header.IsBacklog, frame.GetProperty("backlog").GetBoolean());
            Assert.Equal(header.IsBacklogEnd, frame.GetProperty("backlogEnd").GetBoolean());
            Assert.Equal(header.SequenceNumber, frame.GetProperty("sequence").GetUInt32());
            Assert.Equal(header.TimestampMicroseconds, frame.GetProperty("timestampUs").GetInt64());
            Assert.Equal(Milliseconds(header.SenderUnixMicroseconds), frame.GetProperty("senderUnixMs").GetDouble());
            Assert.Equal(Milliseconds(header.ReceivedAtUnixMicroseconds), frame.GetProperty("receivedUnixMs").GetDouble());
            Assert.Equal(Milliseconds(header.SentAtUnixMicroseconds), frame.GetProperty("sentUnixMs").GetDouble());
            Assert.Equal(Payload, frame.GetProperty("payload").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray());
        }

        await page.Context.CloseAsync();
    }

    // parseFrame gives times in milliseconds since 1970, 0 when unknown.
    private static double Milliseconds(long microseconds) => microseconds > 0 ? microseconds / 1000.0 : 0;
}
