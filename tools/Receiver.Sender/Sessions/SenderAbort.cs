using System.Globalization;

namespace Receiver.Sender.Sessions;

/// <summary>Where a sender that stops on purpose stops: the phone is switched off, walks out of range or crashes.</summary>
public enum SenderAbortStep
{
    /// <summary>After FairPlay setup, before the keys SETUP: the receiver has a connection and no session yet.</summary>
    BeforeSetup,

    /// <summary>After the keys SETUP, before the stream SETUPs: a session without streams.</summary>
    MidSetup,

    /// <summary>After <see cref="SenderAbort.AfterFrames"/> video frames on the mirror data connection.</summary>
    MidStream,

    /// <summary>After <see cref="SenderAbort.AfterAudioPackets"/> audio packets (the sender must send sound).</summary>
    MidAudio,
}

/// <summary>How a sender that stops on purpose goes away.</summary>
public enum SenderAbortMode
{
    /// <summary>Its TCP connections are reset (linger 0, then closed): the receiver sees RST at once.</summary>
    Reset,

    /// <summary>It sends nothing more (no request, no frame, no datagram, no timing reply) and keeps its connections open until the receiver closes the control connection.</summary>
    Silent,
}

/// <summary>
/// A planned stop of a simulated sender at one step of the flow (<c>--abort STEP:MODE</c>). The run records an
/// <c>abort</c> step and counts as successful when the stop happened as planned; a silent sender records how long the
/// receiver took to close its control connection.
/// </summary>
public sealed record SenderAbort(SenderAbortStep Step, SenderAbortMode Mode)
{
    /// <summary>Video frames sent before a <see cref="SenderAbortStep.MidStream"/> stop.</summary>
    public int AfterFrames { get; init; } = 15;

    /// <summary>Audio packets sent before a <see cref="SenderAbortStep.MidAudio"/> stop.</summary>
    public int AfterAudioPackets { get; init; } = 20;

    /// <summary>The longest a silent sender waits for the receiver to close its control connection.</summary>
    public TimeSpan SilentHold { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The step's name on the command line.</summary>
    public static string StepName(SenderAbortStep step) => step switch
    {
        SenderAbortStep.BeforeSetup => "before-setup",
        SenderAbortStep.MidSetup => "mid-setup",
        SenderAbortStep.MidStream => "mid-stream",
        _ => "mid-audio",
    };

    /// <summary>Parses <c>STEP:MODE</c>: <c>before-setup|mid-setup|mid-stream|mid-audio</c> and <c>reset|silent</c>.</summary>
    public static SenderAbort Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        SenderAbortStep? step = parts[0].ToLowerInvariant() switch
        {
            "before-setup" => SenderAbortStep.BeforeSetup,
            "mid-setup" => SenderAbortStep.MidSetup,
            "mid-stream" => SenderAbortStep.MidStream,
            "mid-audio" => SenderAbortStep.MidAudio,
            _ => null,
        };
        SenderAbortMode? mode = parts.Length != 2 ? null : parts[1].ToLowerInvariant() switch
        {
            "reset" => SenderAbortMode.Reset,
            "silent" => SenderAbortMode.Silent,
            _ => null,
        };
        return step is null || mode is null
            ? throw new FormatException($"--abort '{text}' is not STEP:MODE with STEP before-setup, mid-setup, mid-stream or mid-audio and MODE reset or silent.")
            : new SenderAbort(step.Value, mode.Value);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{StepName(Step)}:{Mode.ToString().ToLowerInvariant()}");
}
