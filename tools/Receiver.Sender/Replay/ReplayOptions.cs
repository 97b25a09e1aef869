using Receiver.Sender.Sessions;

namespace Receiver.Sender.Replay;

/// <summary>Where and how <c>replay</c> sends a capture's control exchange, and what it needs for fresh secrets.</summary>
public sealed record ReplayOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 7000;

    /// <summary>The FairPlay vectors (fairplay.json) whose messages and <c>ekey</c> stand in for the redacted ones.</summary>
    public required string FairPlayFile { get; init; }

    public string FairPlayCase { get; init; } = "gen-00";

    /// <summary>The PIN for a captured PIN pairing (digits, or read from the admin API).</summary>
    public SenderPin? Pin { get; init; }

    /// <summary>Base URL of the receiver's admin API for <see cref="SenderPin.IsAuto"/>.</summary>
    public Uri? AdminUrl { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>The receiver's password, for a captured <c>Authorization</c> answer to its Digest challenge.</summary>
    public string? Password { get; init; }

    /// <summary>The sender's device id for PIN pairing; by default the captured <c>X-Apple-Device-ID</c>.</summary>
    public string? DeviceId { get; init; }

    /// <summary>The sender's long-term Ed25519 key file; a fresh key when null.</summary>
    public string? IdentityFile { get; init; }

    /// <summary>Keep the captured pauses between requests (each at most <see cref="MaxPause"/>); otherwise send at once.</summary>
    public bool Pace { get; init; }

    public TimeSpan MaxPause { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
