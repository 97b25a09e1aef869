namespace Receiver.Sender.Replay;

/// <summary>One replayed request: the status captured and the status the receiver answered now (null: none).</summary>
public sealed record ReplayStep(int Index, string Request, int? Captured, int? Replayed, bool Match, string? Note)
{
    public override string ToString() =>
        $"{(Match ? "same" : "DIFF")} #{Index,-3} {Request,-40} captured {Captured?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",3}  replayed {Replayed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",3}{(Note is null ? string.Empty : "  " + Note)}";
}
