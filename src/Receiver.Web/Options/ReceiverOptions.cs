using System.ComponentModel.DataAnnotations;
using Receiver.Core.Discovery;

namespace Receiver.Web.Options;

/// <summary>The <c>Receiver</c> configuration section; every value can be set by environment variable (<c>Receiver__Name</c>…).</summary>
public sealed class ReceiverOptions
{
    public const string SectionName = "Receiver";

    /// <summary>The name senders show in their screen-mirroring list.</summary>
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string Name { get; set; } = "AirPlay Web Receiver";

    /// <summary>TCP port of the AirPlay control protocol (advertised over mDNS). 0 = any free port.</summary>
    [Range(0, 65535)]
    public int ControlPort { get; set; } = 7000;

    /// <summary>TCP port of the mirror data stream and the legacy port-7100 flow. 0 = any free port.</summary>
    [Range(0, 65535)]
    public int MirrorPort { get; set; } = 7100;

    /// <summary>
    /// Read each mirror-port connection with a thread of its own and blocking reads, packets handed over where they were
    /// read (as UxPlay reads a mirror stream; ingest at UxPlay's cost, see docs/PERFORMANCE.md), instead of through
    /// Kestrel's socket transport in 64 KiB blocks (false). The threads are as many as the mirror connections, which
    /// <c>Receiver:Limits</c> caps.
    /// </summary>
    public bool MirrorReadingThread { get; set; } = true;

    /// <summary>Where the device id and pairing identity are kept. Default: the user's local data folder.</summary>
    public string? DataDirectory { get; set; }

    [Required]
    public DisplayOptions Display { get; set; } = new();

    /// <summary>Features bitmask advertised to senders, as <c>0xLOW,0xHIGH</c> or a number. Empty = the default set.</summary>
    public string? Features { get; set; }

    /// <summary>Ask senders to pair (features bit 27): pair-setup and pair-verify before SETUP.</summary>
    public bool RequirePairing { get; set; }

    /// <summary>Offer H.265 mirroring (features bit 42).</summary>
    public bool EnableH265 { get; set; }

    [Required]
    public DiscoveryOptions Discovery { get; set; } = new();

    [Required]
    public LimitsOptions Limits { get; set; } = new();

    [Required]
    public SessionsOptions Sessions { get; set; } = new();

    [Required]
    public DiagnosticsOptions Diagnostics { get; set; } = new();

    [Required]
    public AdminOptions Admin { get; set; } = new();

    [Required]
    public LegacyOptions Legacy { get; set; } = new();

    [Required]
    public RecordingOptions Recording { get; set; } = new();

    /// <summary>The HTTPS listener and its certificate.</summary>
    [Required]
    public WebOptions Web { get; set; } = new();

    /// <summary>Videos a sender hands over (<c>POST /play</c>) and played in the viewer pages.</summary>
    public CastOptions Cast { get; set; } = new();

    /// <summary>WebRTC viewing through Janus (off unless <c>JanusUrl</c> is set).</summary>
    public WebRtcOptions WebRtc { get; set; } = new();
}

public sealed class CastOptions
{
    /// <summary>Offer video casting to senders (features bits 0 and 4: a URL, an HLS playlist) and answer its requests.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Accept casts of loopback URLs (<c>127.0.0.1</c>, <c>localhost</c>): only useful when the senders run on the
    /// receiver's machine (tests, demos). Link-local and other internal-only addresses are always refused.
    /// </summary>
    public bool AllowLoopbackUrls { get; set; }

    /// <summary>Largest segment the HLS proxy copies.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxSegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Segment fetches one cast may run at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrentFetches { get; set; } = 6;

    /// <summary>Segment requests a second one cast may make (bursts of three times as many).</summary>
    [Range(1, 1000)]
    public int FetchesPerSecond { get; set; } = 20;

    /// <summary>
    /// Seconds a cast waits for its first viewer page; then it fails with <c>no viewer page opened within N s</c> (the
    /// phone hears <c>stopped</c>).
    /// </summary>
    [Range(1, 86_400)]
    public int NoViewerTimeoutSeconds { get; set; } = 300;
}

public sealed class RecordingOptions
{
    /// <summary>Where recordings are written. Empty = <c>recordings</c> inside the data directory.</summary>
    public string? Directory { get; set; }

    /// <summary>Record every session from its start (otherwise only on request: <c>POST /api/sessions/{id}/recording</c>).</summary>
    public bool Automatic { get; set; }

    /// <summary>
    /// Most bytes one recording writes, over all its files; the fragment that would pass it is not written and the
    /// recording stops (reason <c>max-bytes</c>), its files playable.
    /// </summary>
    [Range(64 * 1024, long.MaxValue)]
    public long MaxBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Finished recordings older than this many days (by their last write) are deleted, at start and every hour. 0 = kept forever.</summary>
    [Range(0, 36_500)]
    public int MaxAgeDays { get; set; } = 30;

    /// <summary>
    /// Bytes the recordings volume keeps free: a recording does not start below it (507) and stops before a write
    /// that would cross it (reason <c>disk-full</c>). 0 = no floor (a full volume stops recordings at their first failed write).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MinFreeBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Most recordings at once; one more is refused (409). Empty = <c>Receiver:Sessions:Max</c>.</summary>
    [Range(1, 1000)]
    public int? MaxConcurrent { get; set; }
}

public sealed class LegacyOptions
{
    /// <summary>UDP port legacy (port-7100) senders answer NTP on; their own port, fixed at 7010 by iOS.</summary>
    [Range(1, 65535)]
    public int SenderTimingPort { get; set; } = 7010;
}

public sealed class DisplayOptions
{
    [Range(16, 7680)]
    public int Width { get; set; } = 1920;

    [Range(16, 4320)]
    public int Height { get; set; } = 1080;

    [Range(1, 240)]
    public double RefreshRate { get; set; } = 60;

    [Range(1, 240)]
    public int MaxFps { get; set; } = 60;

    public bool Overscanned { get; set; }
}

public sealed class LimitsOptions
{
    /// <summary>Request line plus headers on the control channel.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadBytes { get; set; } = 16 * 1024;

    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    [Range(1, 1000)]
    public int MaxHeaderCount { get; set; } = 64;

    /// <summary>A control connection with no request for this long is closed (senders post feedback every 2 s).</summary>
    [Range(1, 3600)]
    public int IdleTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// A session whose sender sends nothing for this long (no control request such as <c>/feedback</c>, no mirror
    /// packet, audio or timing datagram) ends with the reason <c>timeout</c>. Senders post <c>/feedback</c> every 1–2 s.
    /// </summary>
    [Range(1, 3600)]
    public int SenderTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// A control or legacy HTTP request must be complete this long after its first byte, or the connection is closed
    /// (a client trickling a request holds no connection). The largest body (1 MiB) needs about 0.6 Mbit/s for it.
    /// </summary>
    [Range(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>A mirror-port connection that sends nothing for this long after it opened is closed.</summary>
    [Range(1, 600)]
    public int FirstBytesTimeoutSeconds { get; set; } = 10;

    /// <summary>Largest mirror packet payload.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxMirrorPayloadBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most open control-port connections; one more is closed at once.</summary>
    [Range(1, 100_000)]
    public int MaxControlConnections { get; set; } = 64;

    /// <summary>Most open control-port connections from one address (a phone uses one or two).</summary>
    [Range(1, 100_000)]
    public int MaxControlConnectionsPerAddress { get; set; } = 8;

    /// <summary>
    /// Most open mirror-port connections (7100: a mirroring session's data connection, the legacy flow's HTTP and
    /// stream connection); one more is closed at once, before a byte of it is read.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxMirrorConnections { get; set; } = 16;

    /// <summary>Most open mirror-port connections from one address (a mirroring sender holds one, two while it reconnects).</summary>
    [Range(1, 100_000)]
    public int MaxMirrorConnectionsPerAddress { get; set; } = 4;

    /// <summary>A refused address is logged at most once in this many seconds (every refusal is counted).</summary>
    [Range(1, 86_400)]
    public int RefusalLogIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// Most bytes of packets kept for a mirror data connection while it is told apart from other streams set up from
    /// the same address (the packets before its first video packet); beyond it the connection is closed.
    /// </summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int MaxUnmatchedMirrorBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most ffmpeg processes decoding snapshots at once (audio has one per session, sessions are capped).</summary>
    [Range(1, 64)]
    public int MaxSnapshotProcesses { get; set; } = 2;

    /// <summary>Longest a snapshot may wait for its turn and decode; a hanging decode is killed.</summary>
    [Range(1, 600)]
    public int SnapshotTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// The data segment (heap, private mappings, thread stacks: <c>RLIMIT_DATA</c>) of each ffmpeg process. An audio
    /// stage runs in 40 MiB and a 1080p snapshot decode in 168 MiB on two cores (docs/LIMITS.md); an allocation beyond
    /// the limit fails, and that ffmpeg exits with an error.
    /// </summary>
    [Range(64, 64 * 1024)]
    public int FfmpegMaxMemoryMiB { get; set; } = 1024;

    /// <summary>A transcoder ffmpeg using more than this share of one core, averaged over <see cref="FfmpegCpuWindowSeconds"/>, is killed (its session goes on without sound).</summary>
    [Range(1, 10_000)]
    public int FfmpegMaxCpuPercent { get; set; } = 90;

    /// <summary>The window over which a transcoder's CPU use is averaged.</summary>
    [Range(1, 3600)]
    public int FfmpegCpuWindowSeconds { get; set; } = 10;

    /// <summary>CPU time a snapshot decode may use before the system ends it (a 1080p keyframe takes about 0.1 s).</summary>
    [Range(1, 600)]
    public int SnapshotCpuSeconds { get; set; } = 5;

    /// <summary>The limits of an audio transcoder's ffmpeg processes.</summary>
    public Receiver.Core.Media.FfmpegLimits TranscoderLimits() => new(MaxDataBytes: FfmpegMaxMemoryMiB * 1024L * 1024);

    /// <summary>The limits of a snapshot's ffmpeg.</summary>
    public Receiver.Core.Media.FfmpegLimits SnapshotLimits() => new(MaxDataBytes: FfmpegMaxMemoryMiB * 1024L * 1024, CpuSeconds: SnapshotCpuSeconds);
}

public sealed class SessionsOptions
{
    /// <summary>Most mirroring sessions at once; a session SETUP beyond it is answered 453 Not Enough Bandwidth.</summary>
    [Range(1, 1000)]
    public int Max { get; set; } = 4;
}

public sealed class DiagnosticsOptions
{
    /// <summary>When set, each session's decrypted video is written there as an Annex-B <c>.h264</c>/<c>.h265</c> file.</summary>
    public string? DumpVideoDirectory { get; set; }

    /// <summary>
    /// When set, every session's protocol capture (control exchange with secrets removed, packet headers, timings) is
    /// written there as <c>capture-{session}.json</c> when the session ends. Without it a capture is recorded only on
    /// request (<c>POST /api/sessions/{id}/capture</c>).
    /// </summary>
    public string? CaptureDirectory { get; set; }

    /// <summary>Most packet headers one capture keeps; later ones are dropped and counted.</summary>
    [Range(0, 10_000_000)]
    public int CaptureMaxPacketEntries { get; set; } = 100_000;

    /// <summary>Most bytes of control exchange one capture keeps; later exchanges are dropped and counted.</summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int CaptureMaxControlBytes { get; set; } = 4 * 1024 * 1024;
}

public sealed class AdminOptions
{
    /// <summary>When set, scripts sign in as admin with this key in the <c>X-Api-Key</c> header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>When set, people sign in as admin on the dashboard with this password (kept in memory only as a salted hash).</summary>
    public string? Password { get; set; }

    /// <summary>Requests from the loopback interface are admin without credentials.</summary>
    public bool TrustLoopback { get; set; } = true;

    /// <summary><c>/metrics</c> needs no sign-in (for a Prometheus scraper on a trusted network).</summary>
    public bool PublicMetrics { get; set; }
}
