namespace Receiver.Sender.Replay;

/// <summary>
/// One request of a capture's control exchange and the status the receiver answered it with then. Header values the
/// capture redacted are null. A request the receiver could not parse (<see cref="Refused"/>) has no method and is
/// not replayed.
/// </summary>
public sealed record CapturedRequest(
    int Index,
    double At,
    string Method,
    string Target,
    IReadOnlyList<KeyValuePair<string, string?>> Headers,
    CapturedBody Body,
    int? Status,
    bool Closed,
    bool Refused)
{
    /// <summary>The path of the target: <c>/info</c>, or <c>/123</c> for <c>rtsp://host/123</c>.</summary>
    public string Path
    {
        get
        {
            var target = Target;
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                var slash = target.IndexOf('/', scheme + 3);
                target = slash >= 0 ? target[slash..] : "/";
            }

            var query = target.IndexOf('?', StringComparison.Ordinal);
            return query >= 0 ? target[..query] : target;
        }
    }

    /// <summary>The captured value of <paramref name="name"/> (null when absent or redacted).</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>True when the capture had <paramref name="name"/> with its value redacted.</summary>
    public bool HasRedactedHeader(string name) =>
        Headers.Any(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase) && h.Value is null);

    public override string ToString() => Refused ? $"#{Index} (unparseable request)" : $"#{Index} {Method} {Target}";
}
