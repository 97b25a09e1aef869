namespace Receiver.Core.Casting;

/// <summary>A playlist the receiver cannot play: its reason is what the page and the API show after <c>failed: </c>.</summary>
public sealed class HlsPlaylistException(string reason) : Exception(reason);
