using Microsoft.Extensions.Options;
using Receiver.Core.Access;
using Receiver.Core.Pairing;
using Receiver.Core.Rtsp;
using Receiver.Core.Sessions;
using Receiver.Web.Options;

namespace Receiver.Web.Hosting;

/// <summary>
/// The receiver's identity and the settings sessions use, built once the listeners are bound (ports may be 0 in configuration).
/// </summary>
public sealed class ReceiverRuntime
{
    private readonly Lazy<ReceiverSettings> _settings;
    private readonly Lazy<ReceiverIdentity> _identity;
    private volatile ReceiverSettings? _advertised;

    public ReceiverRuntime(IOptions<ReceiverOptions> options, ReceiverEndpoints endpoints, AccessOptions access, Receiver.Core.Media.FfmpegCpuWatchdog? ffmpegWatchdog = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(access);
        Options = options.Value;
        Access = access;
        Endpoints = endpoints;
        _identity = new Lazy<ReceiverIdentity>(() => ReceiverIdentity.LoadOrCreate(DataDirectory));
        _settings = new Lazy<ReceiverSettings>(BuildSettings);
        RtspLimits = new RtspLimits
        {
            MaxHeadBytes = Options.Limits.MaxRequestHeadBytes,
            MaxBodyBytes = Options.Limits.MaxRequestBodyBytes,
            MaxHeaderCount = Options.Limits.MaxHeaderCount,
        };
        Audio = new Receiver.Core.Audio.AudioStreamOptions { FfmpegLimits = Options.Limits.TranscoderLimits(), CpuWatchdog = ffmpegWatchdog };
    }

    /// <summary>How sessions receive and transcode sound: the transcoders' ffmpeg limits and CPU watchdog.</summary>
    public Receiver.Core.Audio.AudioStreamOptions Audio { get; }

    public ReceiverOptions Options { get; }

    public ReceiverEndpoints Endpoints { get; }

    /// <summary>Who may mirror (<c>Receiver:Access</c>): decides the PIN and password flags and features bit 27.</summary>
    public AccessOptions Access { get; }

    public RtspLimits RtspLimits { get; }

    public TimeSpan IdleTimeout => TimeSpan.FromSeconds(Options.Limits.IdleTimeoutSeconds);

    /// <summary>How long a session's sender may send nothing at all before the session ends (<c>timeout</c>).</summary>
    public TimeSpan SenderTimeout => TimeSpan.FromSeconds(Options.Limits.SenderTimeoutSeconds);

    /// <summary>Longest time from a request's first byte to its last (control port and legacy HTTP).</summary>
    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(Options.Limits.RequestTimeoutSeconds);

    /// <summary>Longest wait for the first bytes of a mirror-port connection.</summary>
    public TimeSpan FirstBytesTimeout => TimeSpan.FromSeconds(Options.Limits.FirstBytesTimeoutSeconds);

    public string DataDirectory => string.IsNullOrWhiteSpace(Options.DataDirectory)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "airplay-web-receiver")
        : Options.DataDirectory;

    public ReceiverIdentity Identity => _identity.Value;

    /// <summary>
    /// Valid once the listeners are bound (the first connection or <c>ApplicationStarted</c>). Its
    /// <see cref="ReceiverSettings.Name"/> is the name discovery advertises, which differs from the configured one
    /// after a name conflict on the network (<c>Name (2)</c>); sessions started from then on report it in <c>GET /info</c>.
    /// </summary>
    public ReceiverSettings Settings => _advertised ?? _settings.Value;

    /// <summary>The configured receiver name (<see cref="ReceiverOptions.Name"/>).</summary>
    public string ConfiguredName => Options.Name;

    /// <summary>Makes <paramref name="name"/>, the name discovery won on the network, the receiver's name in <see cref="Settings"/>.</summary>
    public void UseAdvertisedName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var configured = _settings.Value;
        _advertised = string.Equals(name, configured.Name, StringComparison.Ordinal) ? null : configured with { Name = name };
    }

    private ReceiverSettings BuildSettings()
    {
        var identity = Identity;
        return new ReceiverSettings
        {
            Name = Options.Name,
            DeviceId = identity.DeviceId,
            PublicKey = identity.Keys.PublicKey,
            Features = AccessAdvertisement.Features(FeaturesParser.Resolve(Options), Access.Mode),
            PinRequired = Access.Mode == AccessMode.Pin,
            PasswordRequired = Access.Mode == AccessMode.Password,
            ControlPort = Endpoints.ControlPort,
            MirrorPort = Endpoints.MirrorPort,
            MaxMirrorPayloadBytes = Options.Limits.MaxMirrorPayloadBytes,
            CastUrls = new Receiver.Core.Casting.CastUrlPolicy { AllowLoopback = Options.Cast.AllowLoopbackUrls },
            CastNoViewerTimeout = TimeSpan.FromSeconds(Options.Cast.NoViewerTimeoutSeconds),
            DumpVideoDirectory = string.IsNullOrWhiteSpace(Options.Diagnostics.DumpVideoDirectory) ? null : Options.Diagnostics.DumpVideoDirectory,
            Display = new DisplaySettings
            {
                Width = Options.Display.Width,
                Height = Options.Display.Height,
                RefreshRate = Options.Display.RefreshRate,
                MaxFps = Options.Display.MaxFps,
                Overscanned = Options.Display.Overscanned,
            },
        };
    }
}
