namespace Receiver.Sender.Sessions;

/// <summary>The outcome of one simulated sender session.</summary>
public sealed record SenderResult
{
    public required string DeviceId { get; init; }

    public required IReadOnlyList<StepResult> Steps { get; init; }

    public bool Ok { get; init; }

    /// <summary>Which step failed and what the receiver answered, when <see cref="Ok"/> is false.</summary>
    public string? Error { get; init; }

    public long FramesSent { get; init; }

    /// <summary>Bytes written to the mirror data connection (headers included).</summary>
    public long BytesSent { get; init; }

    public long AudioPacketsSent { get; init; }

    /// <summary>Audio resend requests the receiver sent.</summary>
    public long AudioResendRequests { get; init; }

    /// <summary>Audio packets retransmitted in answer.</summary>
    public long AudioRetransmits { get; init; }

    public double DurationSeconds { get; init; }

    /// <summary>Frame sizes seen in codec packets, in order (width x height).</summary>
    public IReadOnlyList<string> Formats { get; init; } = [];

    /// <summary>The sender clock the session stamped its packets with (<see cref="Timing.SimulatedSenderClock.Description"/>).</summary>
    public string? Clock { get; init; }

    /// <summary>How many parts per million the sender clock ran fast (negative: slow).</summary>
    public double ClockDriftPpm { get; init; }

    /// <summary>Whether the sender answered the receiver's timing requests.</summary>
    public bool TimingReplies { get; init; } = true;

    /// <summary>Timing requests answered during the session (for legacy sessions, on the responder shared by the run).</summary>
    public long TimingRequestsAnswered { get; init; }

    /// <summary>Timing requests left unanswered: all of them when timing replies are off, otherwise malformed ones.</summary>
    public long TimingRequestsIgnored { get; init; }

    /// <summary>The planned stop that ended the run (<c>mid-stream:reset</c>), or null when the flow ran to its end.</summary>
    public string? AbortedAt { get; init; }

    /// <summary>For a silent stop: seconds until the receiver closed the control connection (null: it did not, within the hold).</summary>
    public double? SilentReclaimSeconds { get; init; }
}
