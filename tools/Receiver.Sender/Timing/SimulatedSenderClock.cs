using System.Globalization;
using Receiver.Core.Timing;

namespace Receiver.Sender.Timing;

/// <summary>
/// The clock one simulated sender stamps its media and timing packets with, as a real sender does with its own clock
/// rather than the receiver's: timing replies (t1/t2) and audio sync packets carry its NTP encoding
/// (<see cref="NtpAt"/>), mirror video headers its mirror encoding (<see cref="MirrorAt"/>). Both are 32.32
/// fixed point whose seconds field wraps modulo 2^32.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SenderClockMode.Boot"/> (the default) behaves like an iPhone: the clock counts from a boot between
/// <see cref="MinimumUptime"/> and <see cref="MaximumUptime"/> ago, NTP fields read uptime + 2208988800 s (they decode
/// as 1970-01-01 plus the uptime) and mirror headers read the bare uptime.
/// <see cref="SenderClockMode.Wall"/> stamps the wall clock in NTP form in both places.
/// <see cref="SenderClockMode.Offset"/> starts the NTP fields at a chosen value (so a test can make them wrap) and
/// encodes mirror headers the phone's way, 2208988800 s less.
/// </para>
/// <para>
/// <see cref="Position"/> is the sender-clock time since the clock was created. With a drift of N ppm the sender clock
/// advances 1 + N·10⁻⁶ seconds per real second; a sender paces its media on its own clock through
/// <see cref="RealDelayUntil"/>, so a +200 ppm sender sends 60·1.0002 frames per real second at 60 fps.
/// The clock is immutable and may be read from several tasks at once (the audio and the video of one session).
/// </para>
/// </remarks>
public sealed class SimulatedSenderClock
{
    /// <summary>The clock a sender uses when none is chosen: <c>boot</c>.</summary>
    public const string DefaultSpec = "boot";

    private const string OffsetPrefix = "offset:";
    private const ulong NanosecondsPerSecond = 1_000_000_000UL;

    /// <summary>The seconds field of a 32.32 value wraps after this many seconds (2^32).</summary>
    private const decimal SecondsPeriod = 4_294_967_296m;

    /// <summary>The 32.32 period in nanoseconds: 2^32 s.</summary>
    private const ulong Period = (1UL << 32) * NanosecondsPerSecond;

    private const ulong UnixEpochNanoseconds = NtpTimestamp.UnixEpochOffsetSeconds * NanosecondsPerSecond;

    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly ulong _ntpStart;
    private readonly ulong _mirrorBelowNtp;
    private readonly double _drift;

    private SimulatedSenderClock(TimeProvider time, SenderClockMode mode, ulong ntpStart, ulong mirrorBelowNtp, double driftPpm, TimeSpan? uptime, string description)
    {
        _time = time;
        _start = time.GetTimestamp();
        _ntpStart = ntpStart % Period;
        _mirrorBelowNtp = mirrorBelowNtp;
        _drift = driftPpm * 1e-6;
        Mode = mode;
        DriftPpm = driftPpm;
        Uptime = uptime;
        Description = driftPpm == 0
            ? description
            : string.Create(CultureInfo.InvariantCulture, $"{description}, drift {driftPpm:+0.###;-0.###} ppm");
    }

    /// <summary>The shortest uptime a <c>boot</c> clock picks.</summary>
    public static TimeSpan MinimumUptime { get; } = TimeSpan.FromHours(1);

    /// <summary>The longest uptime a <c>boot</c> clock picks.</summary>
    public static TimeSpan MaximumUptime { get; } = TimeSpan.FromDays(30);

    public SenderClockMode Mode { get; }

    /// <summary>Parts per million the sender clock runs fast (positive) or slow (negative) against real time.</summary>
    public double DriftPpm { get; }

    /// <summary>For a <c>boot</c> clock, the sender's uptime when the clock was created; null otherwise.</summary>
    public TimeSpan? Uptime { get; }

    /// <summary>What the clock is, for logs and the JSON summary, e.g. <c>boot (uptime 3d 04:12:09)</c>.</summary>
    public string Description { get; }

    /// <summary>Sender-clock time elapsed since the clock was created, drift applied.</summary>
    public TimeSpan Position => ToSenderTime(_time.GetElapsedTime(_start));

    /// <summary>
    /// Builds the clock that <paramref name="spec"/> names: <c>boot</c>, <c>wall</c> or <c>offset:SECONDS</c> (SECONDS a
    /// non-negative decimal number, any size; the NTP seconds field starts at it modulo 2^32).
    /// </summary>
    /// <param name="random">Picks a <c>boot</c> clock's uptime; <see cref="Random.Shared"/> when null.</param>
    /// <exception cref="FormatException">The spec names none of these.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="driftPpm"/> is not finite or would stop the clock.</exception>
    public static SimulatedSenderClock Parse(string spec, double driftPpm, TimeProvider time, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(time);
        var text = spec.Trim();
        if (text.Equals("boot", StringComparison.OrdinalIgnoreCase))
        {
            return Boot(time, driftPpm, random);
        }

        if (text.Equals("wall", StringComparison.OrdinalIgnoreCase))
        {
            return Wall(time, driftPpm);
        }

        if (text.StartsWith(OffsetPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var number = text[OffsetPrefix.Length..];
            if (number.Length == 0 || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            {
                throw new FormatException($"Clock '{spec}': offset:SECONDS needs a non-negative number of seconds, such as offset:4294967266.");
            }

            return Offset(time, seconds, driftPpm);
        }

        throw new FormatException($"Unknown clock '{spec}': use boot, wall or offset:SECONDS.");
    }

    /// <summary>A phone-like clock whose uptime is picked at random between <see cref="MinimumUptime"/> and <see cref="MaximumUptime"/>.</summary>
    public static SimulatedSenderClock Boot(TimeProvider time, double driftPpm = 0, Random? random = null)
    {
        var uptime = TimeSpan.FromTicks((random ?? Random.Shared).NextInt64(MinimumUptime.Ticks, MaximumUptime.Ticks + 1));
        return Boot(time, uptime, driftPpm);
    }

    /// <summary>A phone-like clock that has been running for <paramref name="uptime"/> when it is created.</summary>
    public static SimulatedSenderClock Boot(TimeProvider time, TimeSpan uptime, double driftPpm = 0)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(uptime, TimeSpan.Zero);
        CheckDrift(driftPpm);
        var ntpStart = Wrap((Int128)uptime.Ticks * 100 + UnixEpochNanoseconds);
        var description = string.Create(
            CultureInfo.InvariantCulture, $"boot (uptime {(long)uptime.TotalDays}d {uptime.Hours:00}:{uptime.Minutes:00}:{uptime.Seconds:00})");
        return new SimulatedSenderClock(time, SenderClockMode.Boot, ntpStart, UnixEpochNanoseconds, driftPpm, uptime, description);
    }

    /// <summary>A clock that starts at the wall clock in NTP form and stamps NTP fields and mirror headers alike.</summary>
    public static SimulatedSenderClock Wall(TimeProvider time, double driftPpm = 0)
    {
        ArgumentNullException.ThrowIfNull(time);
        CheckDrift(driftPpm);
        var now = time.GetUtcNow();
        var ntpStart = Wrap((Int128)(now - DateTimeOffset.UnixEpoch).Ticks * 100 + UnixEpochNanoseconds);
        var description = string.Create(CultureInfo.InvariantCulture, $"wall (from {now.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z)");
        return new SimulatedSenderClock(time, SenderClockMode.Wall, ntpStart, 0, driftPpm, null, description);
    }

    /// <summary>A clock whose NTP fields read <paramref name="ntpSeconds"/> (modulo 2^32) at its start; mirror headers read 2208988800 s less.</summary>
    public static SimulatedSenderClock Offset(TimeProvider time, decimal ntpSeconds, double driftPpm = 0)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(ntpSeconds);
        CheckDrift(driftPpm);
        var ntpStart = (ulong)decimal.Round(ntpSeconds % SecondsPeriod * NanosecondsPerSecond);
        var description = string.Create(CultureInfo.InvariantCulture, $"{OffsetPrefix}{ntpSeconds}");
        return new SimulatedSenderClock(time, SenderClockMode.Offset, ntpStart, UnixEpochNanoseconds, driftPpm, null, description);
    }

    /// <summary>The NTP-format 32.32 value (timing replies, audio sync packets) the clock reads at <paramref name="position"/>.</summary>
    public ulong NtpAt(TimeSpan position) => Encode(Wrap(_ntpStart + Nanoseconds(position)));

    /// <summary>The mirror-header 32.32 value (video, codec and heartbeat packets) the clock reads at <paramref name="position"/>.</summary>
    public ulong MirrorAt(TimeSpan position) => Encode(Wrap(_ntpStart + Nanoseconds(position) - _mirrorBelowNtp));

    /// <summary>The NTP-format value now.</summary>
    public ulong NtpNow() => NtpAt(Position);

    /// <summary>The mirror-header value now.</summary>
    public ulong MirrorNow() => MirrorAt(Position);

    /// <summary>
    /// The real time to wait until the clock reads <paramref name="position"/>: zero or negative when it already has.
    /// </summary>
    public TimeSpan RealDelayUntil(TimeSpan position) => ToRealTime(position) - _time.GetElapsedTime(_start);

    /// <summary>Waits (on the clock's <see cref="TimeProvider"/>) until the clock reads <paramref name="position"/>; returns at once when it already has.</summary>
    public Task DelayUntilAsync(TimeSpan position, CancellationToken cancellationToken)
    {
        var delay = RealDelayUntil(position);
        return delay > TimeSpan.Zero ? Task.Delay(delay, _time, cancellationToken) : Task.CompletedTask;
    }

    public override string ToString() => Description;

    private TimeSpan ToSenderTime(TimeSpan real) =>
        _drift == 0 ? real : real + TimeSpan.FromTicks((long)Math.Round(real.Ticks * _drift));

    /// <summary>The real time since creation at which the clock reads <paramref name="position"/> (never earlier).</summary>
    private TimeSpan ToRealTime(TimeSpan position)
    {
        if (_drift == 0)
        {
            return position;
        }

        var real = TimeSpan.FromTicks((long)Math.Round(position.Ticks / (1 + _drift)));
        return ToSenderTime(real) < position ? real + TimeSpan.FromTicks(1) : real;
    }

    private static Int128 Nanoseconds(TimeSpan span) => (Int128)span.Ticks * 100;

    private static ulong Wrap(Int128 nanoseconds)
    {
        var wrapped = nanoseconds % Period;
        return (ulong)(wrapped < 0 ? wrapped + Period : wrapped);
    }

    /// <summary>Nanoseconds below 2^32 s as 32.32: whole seconds high, the fraction of a second low.</summary>
    private static ulong Encode(ulong nanoseconds)
    {
        var seconds = nanoseconds / NanosecondsPerSecond;
        var remainder = nanoseconds % NanosecondsPerSecond;
        return (seconds << 32) | ((remainder << 32) / NanosecondsPerSecond);
    }

    private static void CheckDrift(double driftPpm)
    {
        if (!double.IsFinite(driftPpm) || driftPpm <= -1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(driftPpm), driftPpm, "The clock drift must be a finite number of ppm above -1000000.");
        }
    }
}
