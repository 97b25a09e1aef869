using Receiver.Core.Media;

namespace Receiver.Sender.Sessions;

/// <summary>Everything one simulated sender needs: where to connect, what to send and how to identify itself.</summary>
public sealed record SenderOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 7000;

    /// <summary>Video source description; see <see cref="Video.VideoSourceFactory"/>.</summary>
    public required Video.VideoSourceSpec Video { get; init; }

    public VideoCodec Codec { get; init; } = VideoCodec.H264;

    /// <summary>Stop after this much media time (null: the whole input).</summary>
    public double? Seconds { get; init; }

    /// <summary>Send as fast as possible instead of at the source frame rate.</summary>
    public bool Fast { get; init; }

    public bool Audio { get; init; }

    public PairingMode Pairing { get; init; } = PairingMode.Auto;

    /// <summary>The FairPlay vector file (fairplay.json) and the <c>ekey_decrypt</c> case to replay.</summary>
    public required string FairPlayFile { get; init; }

    public string FairPlayCase { get; init; } = "gen-00";

    /// <summary>The audio codec sent with <c>--audio</c>: AAC-ELD frames from <see cref="AudioFramesFile"/>, or an ALAC / AAC-LC tone.</summary>
    public Receiver.Sender.Audio.SenderAudioCodec AudioCodec { get; init; } = Receiver.Sender.Audio.SenderAudioCodec.Eld;

    /// <summary>With an ALAC or AAC-LC tone: beeps (<see cref="Audio.ToneFrames.BeepMilliseconds"/> of tone, then silence) instead of a steady tone.</summary>
    public bool ToneBeeps { get; init; }

    /// <summary>The AAC-ELD <c>.frames</c> file used for <c>--audio</c>.</summary>
    public string? AudioFramesFile { get; init; }

    /// <summary>Share of audio packets withheld until the receiver asks for them (0…1), with some reordering.</summary>
    public double AudioLoss { get; init; }

    public string Name { get; init; } = "Simulated iPhone";

    /// <summary>Sender device id (<c>AA:BB:CC:DD:EE:FF</c>); random when null.</summary>
    public string? DeviceId { get; init; }

    /// <summary>Pair with this PIN (<c>--pin</c>) before pair-verify: pair-pin-start, then the three pair-setup-pin steps.</summary>
    public SenderPin? Pin { get; init; }

    /// <summary>Base URL of the receiver's admin API, for <see cref="SenderPin.IsAuto"/> (ends with a slash).</summary>
    public Uri? AdminUrl { get; init; }

    /// <summary>The admin API key (<c>X-Api-Key</c>), when the receiver has one.</summary>
    public string? ApiKey { get; init; }

    /// <summary>File with the sender's long-term Ed25519 key (created if missing); a fresh key per run when null.</summary>
    public string? IdentityFile { get; init; }

    /// <summary>The receiver's password, answered to its Digest challenge on the keys SETUP (password mode).</summary>
    public string? Password { get; init; }

    /// <summary>Writes every NAL unit sent (parameter sets from codec packets and video NAL units) as Annex-B.</summary>
    public string? DumpSentPath { get; init; }

    /// <summary>Send a type-2 heartbeat packet every second, as old (AirMyPC-era) senders do; iPhones do not.</summary>
    public bool Heartbeats { get; init; }

    /// <summary>
    /// The sender's clock (<see cref="Timing.SimulatedSenderClock.Parse"/>): <c>boot</c> (an iPhone's uptime clock),
    /// <c>wall</c> (the wall clock in NTP form) or <c>offset:SECONDS</c> (NTP seconds starting at SECONDS). Each session
    /// gets its own clock.
    /// </summary>
    public string Clock { get; init; } = Timing.SimulatedSenderClock.DefaultSpec;

    /// <summary>How many parts per million the sender's clock runs fast (negative: slow) against real time.</summary>
    public double ClockDriftPpm { get; init; }

    /// <summary>Answer the receiver's timing (NTP) requests; off, the sender stays silent as macOS 15.2 and some iPads do.</summary>
    public bool TimingReplies { get; init; } = true;

    /// <summary>Answer only this many timing requests, then none (an iPadOS 26 iPad did); null: no limit.</summary>
    public int? TimingReplyLimit { get; init; }

    /// <summary>Stop on purpose at one step (reset or silent); null runs the whole flow. See <see cref="SenderAbort"/>.</summary>
    public SenderAbort? Abort { get; init; }

    public TimeSpan FeedbackInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The real sender played (<c>--profile</c>, <see cref="SenderProfiles"/>): its first-SETUP keys, User-Agent,
    /// request order and TEARDOWN form. Apply it with <see cref="SenderProfile.ApplyTo"/>, which also sets its clock,
    /// timing replies and feedback cadence. Null: the simulator's own generic iPhone.
    /// </summary>
    public SenderProfile? Profile { get; init; }

    /// <summary>
    /// Ask for protected content first (<c>--fp-setup2</c>): <c>POST /fp-setup2</c> with a FairPlay v2 message, which
    /// the receiver must refuse with 421 (step <c>fp-setup2</c>); then the sender falls back to screen mirroring.
    /// </summary>
    public bool FpSetup2 { get; init; }

    /// <summary>The first SETUP's <c>timingProtocol</c> (<c>--timing-protocol</c>): NTP, or PTP (then with <c>timingPeerInfo</c> and no timing port), or None.</summary>
    public string TimingProtocol { get; init; } = "NTP";

    /// <summary>
    /// Set up the AirPlay 2 remote-control channel only (<c>--remote-control-only</c>): GET /info, a SETUP with
    /// <c>isRemoteControlOnly</c> and <c>timingProtocol</c> None, a few <c>/feedback</c>, a typeless TEARDOWN. No mirroring.
    /// </summary>
    public bool RemoteControlOnly { get; init; }

    /// <summary>
    /// Freeze this long into the stream, like a phone locked or out of Wi-Fi: stop sending video, audio, <c>/feedback</c>
    /// and timing replies, leave every connection open, and wait for the receiver to close the control and data
    /// connections (steps <c>frozen</c> and <c>frozen-video</c>, each with how long it took).
    /// </summary>
    public TimeSpan? FreezeAfter { get; init; }

    /// <summary>How long a frozen sender waits for the receiver to close its connections before it gives up.</summary>
    public TimeSpan FreezeWait { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
