namespace Receiver.Web.Security;

/// <summary>The <c>Receiver:Web</c> origins besides the receiver's own that may open the media WebSocket and the hub.</summary>
public sealed class OriginOptions
{
    public const string SectionName = "Receiver:Web";

    /// <summary>Origins such as <c>https://screens.example.org</c>; the receiver's own (the request's host and port) is always allowed.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
