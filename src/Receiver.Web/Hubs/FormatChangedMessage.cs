namespace Receiver.Web.Hubs;

/// <summary>The video format of a session changed.</summary>
public sealed record FormatChangedMessage(string SessionId, string Codec, int Width, int Height);
