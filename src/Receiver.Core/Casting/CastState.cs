namespace Receiver.Core.Casting;

/// <summary>Where a cast video stands on the receiver's timeline.</summary>
public enum CastState
{
    /// <summary>The video was handed over and no viewer page has started it yet; the position holds.</summary>
    Loading,

    /// <summary>The position advances at the cast's rate.</summary>
    Playing,

    /// <summary>The sender set the rate to 0; the position holds.</summary>
    Paused,

    /// <summary>The video played to its end (<c>/playback-info</c> reports a duration of −1).</summary>
    Ended,

    /// <summary>The video cannot be played; the cast's failure says why.</summary>
    Failed,
}
