namespace Receiver.Sender.Replay;

/// <summary>The outcome of a replay: one step per captured request, in order.</summary>
public sealed record ReplayResult(IReadOnlyList<ReplayStep> Steps)
{
    /// <summary>True when every replayed request got the status it got in the capture.</summary>
    public bool Ok => Steps.All(s => s.Match);

    public int Differences => Steps.Count(s => !s.Match);
}
