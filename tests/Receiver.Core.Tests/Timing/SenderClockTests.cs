using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Timing;

namespace Receiver.Core.Tests.Timing;

/// <summary>
/// The session's sender clock against senders whose clocks are not the receiver's: counted from boot (as iPhones do:
/// NTP form = uptime + 1900→1970 offset, mirror headers = uptime), from 1900 (the same value in both), and one whose
/// NTP seconds wrap at 2³² during the session.
/// </summary>
public sealed class SenderClockTests
{
    private const long Second = 1_000_000_000;
    private const ulong EpochSeconds = NtpTimestamp.UnixEpochOffsetSeconds;

    [Theory]
    [InlineData("boot")]
    [InlineData("1900")]
    [InlineData("wrap")]
    public void ToSessionTime_BothEncodingsOfOneInstant_LandOnTheSameTime(string kind)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var clock = new SenderClock(time);
        var phone = Phone.Create(kind, time);

        // Video first (as a phone's mirror stream starts), then audio sync packets, for a minute, with transit delays.
        var offsets = new List<long>();
        for (var i = 0; i < 60 * 60; i++)
        {
            var captured = phone.Now;
            time.Advance(TimeSpan.FromMilliseconds(3));
            var video = clock.ToSessionTime(SenderTimeDomain.Mirror, phone.Mirror(captured), clock.LocalNow);
            if (i % 60 == 30)
            {
                var audio = clock.ToSessionTime(SenderTimeDomain.Ntp, phone.Ntp(captured), clock.LocalNow);
                offsets.Add(audio - video);
            }

            time.Advance(TimeSpan.FromMilliseconds(1000.0 / 60 - 3));
        }

        Assert.All(offsets, offset => Assert.InRange(offset, -1000, 1000));
    }

    [Theory]
    [InlineData("boot", 2_208_988_800L)]
    [InlineData("1900", 0L)]
    public void ToSessionTime_FirstPicturesSentLate_TheEncodingsStillLineUpExactly(string kind, long mirrorToNtp)
    {
        // A sender whose first pictures come 0.8 s after the times they are stamped with (a slow encoder start, a
        // sender behind its schedule) while its sound and timing replies are on time. Rounding the measured
        // difference of the encodings to whole seconds would put the sound a second off.
        var time = new FakeTimeProvider();
        var clock = new SenderClock(time);
        var phone = Phone.Create(kind, time);
        var start = phone.Now;
        time.Advance(TimeSpan.FromMilliseconds(800));
        for (var i = 0; i < 30; i++)
        {
            clock.ToSessionTime(SenderTimeDomain.Mirror, phone.Mirror(start + (i / 60.0)), clock.LocalNow);
            time.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond / 60));
        }

        Exchange(clock, phone, time, TimeSpan.FromMilliseconds(1));
        var video = clock.ToSessionTime(SenderTimeDomain.Mirror, phone.Mirror(phone.Now - 0.8), clock.LocalNow);
        var audio = clock.ToSessionTime(SenderTimeDomain.Ntp, phone.Ntp(phone.Now - 0.8), clock.LocalNow);
        Assert.InRange(audio - video, -1000, 1000);
        Assert.Equal(mirrorToNtp, clock.MirrorToNtpSeconds);
    }

    [Fact]
    public void ToSessionTime_NtpSecondsWrap_TimelineStaysContinuous()
    {
        var time = new FakeTimeProvider();
        var clock = new SenderClock(time);
        var phone = Phone.Create("wrap", time);
        var previous = (long?)null;
        for (var i = 0; i < 120; i++)
        {
            var now = clock.ToSessionTime(SenderTimeDomain.Ntp, phone.Ntp(phone.Now), clock.LocalNow);
            if (previous is { } p)
            {
                Assert.InRange(now - p, (Second / 2) - 1, (Second / 2) + 1);
            }

            previous = now;
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(phone.NtpSeconds(phone.Now) < 60, "the NTP seconds field wrapped");
    }

    [Fact]
    public void TryGetLocalTime_WithNtpReplies_GivesTheCaptureTimeOnTheLocalClock()
    {
        var time = new FakeTimeProvider();
        var clock = new SenderClock(time);
        var phone = Phone.Create("boot", time);
        Assert.False(clock.TryGetLocalTime(0, out _));

        for (var i = 0; i < 10; i++)
        {
            Exchange(clock, phone, time, TimeSpan.FromMilliseconds(2));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var capturedLocal = clock.LocalNow;
        var captured = phone.Now;
        time.Advance(TimeSpan.FromMilliseconds(40));
        var session = clock.ToSessionTime(SenderTimeDomain.Mirror, phone.Mirror(captured), clock.LocalNow);
        Assert.Equal(SenderClockSource.Ntp, clock.Source);
        Assert.True(clock.TryGetLocalTime(session, out var local));
        Assert.InRange(local - capturedLocal, -100_000, 100_000);
        Assert.Equal((long)EpochSeconds, clock.MirrorToNtpSeconds);
    }

    [Fact]
    public void TryGetLocalTime_SenderNeverAnswers_FallsBackToTheShortestTransit()
    {
        var time = new FakeTimeProvider();
        var clock = new SenderClock(time);
        var phone = Phone.Create("boot", time);
        var random = new Random(5);
        long lastSession = 0;
        long lastCapture = 0;
        for (var i = 0; i < 600; i++)
        {
            var capturedLocal = clock.LocalNow;
            var captured = phone.Now;
            var transit = 20 + random.Next(0, 30);
            time.Advance(TimeSpan.FromMilliseconds(transit));
            lastSession = clock.ToSessionTime(SenderTimeDomain.Mirror, phone.Mirror(captured), clock.LocalNow);
            lastCapture = capturedLocal;
            time.Advance(TimeSpan.FromMilliseconds(50 - transit));
        }

        Assert.Equal(SenderClockSource.Arrival, clock.Source);
        Assert.True(clock.TryGetLocalTime(lastSession, out var local));

        // The mapping puts a capture at least the shortest transit (20 ms) late, never early.
        Assert.InRange((local - lastCapture) / 1e6, 19.9, 22);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(-200)]
    public void TryGetLocalTime_DriftingSender_FollowsTheDrift(double ppm)
    {
        var time = new FakeTimeProvider();
        var clock = new SenderClock(time);
        var phone = Phone.Create("boot", time, ppm);
        var worstNtp = 0.0;
        for (var second = 0; second < 300; second++)
        {
            if (second % 3 == 0)
            {
                Exchange(clock, phone, time, TimeSpan.FromMilliseconds(1));
            }

            for (var frame = 0; frame < 10; frame++)
            {
                var capturedLocal = clock.LocalNow;
                var captured = phone.Now;
                time.Advance(TimeSpan.FromMilliseconds(5));
                var session = clock.ToSessionTime(SenderTimeDomain.Mirror, phone.Mirror(captured), clock.LocalNow);
                Assert.True(clock.TryGetLocalTime(session, out var local));
                if (second > 30)
                {
                    worstNtp = Math.Max(worstNtp, Math.Abs(local - capturedLocal) / 1e6);
                }

                time.Advance(TimeSpan.FromMilliseconds(95));
            }
        }

        // 200 ppm is 24 ms over two minutes; the mapping stays within a few milliseconds all the way.
        Assert.True(worstNtp < 6, $"worst error {worstNtp:F2} ms");
    }

    [Fact]
    public void TryGetLocalTime_RepliesStop_ArrivalsTakeOverWithoutAJump()
    {
        var time = new FakeTimeProvider();
        var clock = new SenderClock(time);
        var phone = Phone.Create("boot", time);
        var mapped = new List<double>();
        for (var second = 0; second < 60; second++)
        {
            if (second < 20 && second % 3 == 0)
            {
                Exchange(clock, phone, time, TimeSpan.FromMilliseconds(1));
            }

            for (var frame = 0; frame < 10; frame++)
            {
                var capturedLocal = clock.LocalNow;
                var captured = phone.Now;
                time.Advance(TimeSpan.FromMilliseconds(4));
                var session = clock.ToSessionTime(SenderTimeDomain.Mirror, phone.Mirror(captured), clock.LocalNow);
                Assert.True(clock.TryGetLocalTime(session, out var local));
                mapped.Add((local - capturedLocal) / 1e6);
                time.Advance(TimeSpan.FromMilliseconds(96));
            }
        }

        Assert.Equal(SenderClockSource.Arrival, clock.Source);
        Assert.All(mapped, error => Assert.InRange(error, -0.5, 4.5));
    }

    [Fact]
    public void ArrivalOffsetWindow_OldMaximaExpire()
    {
        var window = new ArrivalOffsetWindow();
        window.Add(senderNs: 100 * Second, localNs: 0);
        window.Add(senderNs: 100 * Second, localNs: 5 * Second);
        Assert.Equal(100 * Second, window.Offset);
        window.Add(senderNs: 100 * Second, localNs: 20 * Second);
        Assert.Equal(80 * Second, window.Offset);
    }

    [Fact]
    public void SenderTimestampUnwrapper_WrapForwardAndSmallStepBack_StayContinuous()
    {
        var unwrapper = new SenderTimestampUnwrapper();
        var nearEnd = (ulong)(uint.MaxValue - 1) << 32;
        Assert.Equal((long)(uint.MaxValue - 1) * Second, unwrapper.Unwrap(nearEnd));
        Assert.Equal(((long)uint.MaxValue + 2) * Second, unwrapper.Unwrap(1UL << 32));
        Assert.Equal(((long)uint.MaxValue + 1) * Second, unwrapper.Unwrap(0));
    }

    /// <summary>One timing exchange over a symmetric path of <paramref name="oneWay"/>.</summary>
    private static void Exchange(SenderClock clock, Phone phone, FakeTimeProvider time, TimeSpan oneWay)
    {
        var t0 = clock.LocalNow;
        time.Advance(oneWay);
        var t1 = phone.Ntp(phone.Now);
        time.Advance(TimeSpan.FromMicroseconds(50));
        var t2 = phone.Ntp(phone.Now);
        time.Advance(oneWay);
        clock.AddTimingSample(t0, t1, t2, clock.LocalNow);
    }

    /// <summary>A sender's clock: seconds since its start point, advancing (1 + ppm·10⁻⁶) per local second.</summary>
    private sealed class Phone(FakeTimeProvider time, double startSeconds, bool mirrorHasEpoch, double ppm)
    {
        private readonly long _created = time.GetTimestamp();

        /// <summary>The sender clock now, in seconds of its own count (boot: uptime; 1900: NTP seconds).</summary>
        public double Now => startSeconds + (time.GetElapsedTime(_created).TotalSeconds * (1 + (ppm * 1e-6)));

        public static Phone Create(string kind, FakeTimeProvider time, double ppm = 0) => kind switch
        {
            "boot" => new Phone(time, 3 * 86400 + 4321.25, mirrorHasEpoch: false, ppm),
            "1900" => new Phone(time, (time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds + EpochSeconds, mirrorHasEpoch: true, ppm),
            "wrap" => new Phone(time, uint.MaxValue - 29.5 - (double)EpochSeconds, mirrorHasEpoch: false, ppm),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        public ulong NtpSeconds(double seconds) => Ntp(seconds) >> 32;

        /// <summary>The NTP form (timing replies, sync packets): boot and wrap senders add the 1900→1970 offset.</summary>
        public ulong Ntp(double seconds) => ToFixed(mirrorHasEpoch ? seconds : seconds + EpochSeconds);

        /// <summary>The mirror-header form.</summary>
        public ulong Mirror(double seconds) => ToFixed(seconds);

        private static ulong ToFixed(double seconds)
        {
            var whole = Math.Floor(seconds);
            var fraction = (ulong)((seconds - whole) * 4294967296.0);
            return (((ulong)whole & 0xFFFF_FFFFUL) << 32) | fraction;
        }
    }
}
