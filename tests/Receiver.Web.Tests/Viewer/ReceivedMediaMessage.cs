using Receiver.Web.Media;

namespace Receiver.Web.Tests.Viewer;

/// <summary>One message of the media WebSocket: text (a format message) or binary (header + payload).</summary>
public sealed record ReceivedMediaMessage(string? Text, MediaFrameHeader? Header, byte[] Bytes)
{
    public ReadOnlySpan<byte> Payload => Bytes.AsSpan(MediaFrameHeader.Length);

    public MediaFormatMessage Format => MediaFormatMessage.Parse(Text ?? throw new InvalidOperationException("not a text message"))
        ?? throw new InvalidOperationException("empty format message");

    /// <summary>The four-character type of the first box of the payload (MSE mode).</summary>
    public string FirstBoxType => System.Text.Encoding.ASCII.GetString(Payload.Slice(4, 4));
}
