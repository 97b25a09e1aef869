namespace Receiver.Sender.Casting;

/// <summary>How the <c>cast</c> command's phone hands the video over.</summary>
public sealed record CastScriptOptions
{
    /// <summary>Title sent with the video.</summary>
    public string? Title { get; init; }

    /// <summary>How long to wait for a viewer page to start the video.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>For the YouTube-like case: the HLS set whose playlists the phone hands over when the receiver asks.</summary>
    public CastHlsSet? Playlists { get; init; }

    /// <summary>Send <c>/play</c> in the older <c>text/parameters</c> form with this <c>Start-Position</c> (a fraction of the video); null: the binary plist.</summary>
    public double? TextStartFraction { get; init; }

    /// <summary>Ask the receiver to refuse the cast (503) rather than wait when no viewer page is open (<c>requiresViewer</c>).</summary>
    public bool RequiresViewer { get; init; }
}
