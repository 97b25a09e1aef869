namespace Receiver.Web.Hubs;

/// <summary>A stream of a session stopped.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Kind"><c>video</c> or <c>audio</c>.</param>
public sealed record StreamEndedMessage(string SessionId, string Kind);
