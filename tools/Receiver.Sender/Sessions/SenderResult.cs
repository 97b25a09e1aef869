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
}
