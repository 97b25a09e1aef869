using Receiver.Core.Rtsp;

namespace Receiver.Sender.Control;

/// <summary>One response read from the receiver's control port.</summary>
public sealed record RtspResponseMessage(string Protocol, int StatusCode, string ReasonPhrase, RtspHeaders Headers, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public string? ContentType => Headers["Content-Type"];

    public override string ToString() => $"{Protocol} {StatusCode} {ReasonPhrase} ({Body.Length} body bytes)";
}
