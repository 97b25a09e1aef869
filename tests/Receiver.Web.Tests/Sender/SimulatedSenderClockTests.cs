using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Timing;
using Receiver.Sender.Audio;
using Receiver.Sender.Sessions;
using Receiver.Sender.Timing;

namespace Receiver.Web.Tests.Sender;

/// <summary>
/// The simulated sender clock: its boot, wall and offset encodings, the 2^32-second wrap, drift and pacing, spec parsing,
/// and the timing replies and audio sync packets stamped with it.
/// </summary>
public sealed class SimulatedSenderClockTests
{
    private const ulong Epoch = NtpTimestamp.UnixEpochOffsetSeconds;
    private static readonly DateTimeOffset WallStart = new(2026, 7, 16, 8, 5, 59, 250, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Boot_RandomUptime_BetweenOneHourAndThirtyDays(int seed)
    {
        var clock = SimulatedSenderClock.Parse("boot", 0, new FakeTimeProvider(WallStart), new Random(seed));

        Assert.Equal(SenderClockMode.Boot, clock.Mode);
        Assert.InRange(clock.Uptime!.Value, TimeSpan.FromHours(1), TimeSpan.FromDays(30));
        Assert.Equal((ulong)clock.Uptime.Value.TotalSeconds, Seconds(clock.MirrorNow()));
    }

    [Fact]
    public void Boot_SameSeed_SameUptime_OtherSeed_Other()
    {
        var time = new FakeTimeProvider(WallStart);

        var first = SimulatedSenderClock.Parse("boot", 0, time, new Random(7));
        var again = SimulatedSenderClock.Parse("boot", 0, time, new Random(7));
        var other = SimulatedSenderClock.Parse("boot", 0, time, new Random(8));

        Assert.Equal(first.Uptime, again.Uptime);
        Assert.NotEqual(first.Uptime, other.Uptime);
    }

    [Fact]
    public void Boot_NtpMinusMirror_IsTheEpochOffset_BothAdvanceOneSecondPerSecond()
    {
        var time = new FakeTimeProvider(WallStart);
        var uptime = new TimeSpan(2, 7, 30, 15, 125);
        var clock = SimulatedSenderClock.Boot(time, uptime);

        var ntp0 = clock.NtpNow();
        var mirror0 = clock.MirrorNow();
        time.Advance(TimeSpan.FromSeconds(1));
        var ntp1 = clock.NtpNow();
        var mirror1 = clock.MirrorNow();

        Assert.Equal(Epoch + (ulong)uptime.TotalSeconds, Seconds(ntp0));
        Assert.Equal((ulong)uptime.TotalSeconds, Seconds(mirror0));
        Assert.Equal(Epoch, unchecked((uint)(Seconds(ntp1) - Seconds(mirror1))));
        Assert.Equal(Fraction(ntp0), Fraction(mirror0));
        Assert.Equal(1_000_000_000L, NtpTimestamp.ToNanoseconds(ntp1) - NtpTimestamp.ToNanoseconds(ntp0));
        Assert.Equal(1_000_000_000L, NtpTimestamp.ToNanoseconds(mirror1) - NtpTimestamp.ToNanoseconds(mirror0));
        Assert.Equal(TimeSpan.FromSeconds(1), clock.Position);
    }

    [Fact]
    public void Boot_Description_ShowsTheUptime()
    {
        var clock = SimulatedSenderClock.Boot(new FakeTimeProvider(WallStart), new TimeSpan(3, 4, 12, 9));

        Assert.Equal("boot (uptime 3d 04:12:09)", clock.Description);
        Assert.Equal("boot (uptime 3d 04:12:09), drift +200 ppm", SimulatedSenderClock.Boot(new FakeTimeProvider(WallStart), new TimeSpan(3, 4, 12, 9), 200).Description);
    }

    [Fact]
    public void Wall_NtpAndMirror_EqualTheWallClockInNtpForm()
    {
        var time = new FakeTimeProvider(WallStart);
        var clock = SimulatedSenderClock.Parse("wall", 0, time);

        foreach (var step in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(16.7), TimeSpan.FromMinutes(5) })
        {
            time.Advance(step);
            var wall = NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(time));
            Assert.Equal(wall, clock.NtpNow());
            Assert.Equal(wall, clock.MirrorNow());
        }

        Assert.Equal(SenderClockMode.Wall, clock.Mode);
        Assert.Null(clock.Uptime);
    }

    [Fact]
    public void Offset_JustBelowTheWrap_NtpWrapsAfterThirtySeconds_MirrorIsNtpLessTheEpoch()
    {
        var time = new FakeTimeProvider(WallStart);
        var clock = SimulatedSenderClock.Parse("offset:4294967266", 0, time);

        Assert.Equal(4_294_967_266UL, Seconds(clock.NtpNow()));
        AssertMirrorIsNtpLessEpoch(clock);
        time.Advance(TimeSpan.FromSeconds(29.5));
        Assert.Equal(4_294_967_295UL, Seconds(clock.NtpNow()));
        AssertMirrorIsNtpLessEpoch(clock);
        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(0UL, Seconds(clock.NtpNow()));
        AssertMirrorIsNtpLessEpoch(clock);
        time.Advance(TimeSpan.FromSeconds(12.25));
        Assert.Equal(12UL, Seconds(clock.NtpNow()));
        Assert.Equal(1UL << 30, Fraction(clock.NtpNow()));
        AssertMirrorIsNtpLessEpoch(clock);
        Assert.Equal("offset:4294967266", clock.Description);
    }

    [Fact]
    public void Offset_BeyondTwoToThe32_StartsAtItsRemainder()
    {
        var clock = SimulatedSenderClock.Parse("offset:8589934593.5", 0, new FakeTimeProvider(WallStart));

        Assert.Equal(1UL, Seconds(clock.NtpNow()));
        Assert.Equal(1UL << 31, Fraction(clock.NtpNow()));
        AssertMirrorIsNtpLessEpoch(clock);
    }

    [Fact]
    public void Drift_Plus200Ppm_PositionRunsFast_RealDelayHonoursIt()
    {
        var time = new FakeTimeProvider(WallStart);
        var clock = SimulatedSenderClock.Parse("boot", 200, time, new Random(1));
        var ntp0 = clock.NtpNow();

        Assert.Equal(TimeSpan.FromSeconds(120), clock.RealDelayUntil(TimeSpan.FromSeconds(120.024)));
        time.Advance(TimeSpan.FromSeconds(120));

        Assert.Equal(TimeSpan.FromSeconds(120.024), clock.Position);
        Assert.Equal(120_024_000_000L, NtpTimestamp.ToNanoseconds(clock.NtpNow()) - NtpTimestamp.ToNanoseconds(ntp0));
        Assert.Equal(TimeSpan.Zero, clock.RealDelayUntil(TimeSpan.FromSeconds(120.024)));
        Assert.True(clock.RealDelayUntil(TimeSpan.FromSeconds(100)) < TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(60), clock.RealDelayUntil(TimeSpan.FromSeconds(180.036)));
    }

    [Fact]
    public void Drift_Plus200Ppm_SixtyFpsFramesFallDue200PpmSooner()
    {
        var time = new FakeTimeProvider(WallStart);
        var clock = SimulatedSenderClock.Boot(time, TimeSpan.FromHours(2), 200);

        var framesDue = Enumerable.Range(0, 70).Count(i => clock.RealDelayUntil(TimeSpan.FromSeconds(i / 60.0)) <= TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1000));
        var framesDueLater = Enumerable.Range(0, 70_000).Count(i => clock.RealDelayUntil(TimeSpan.FromSeconds(i / 60.0)) <= TimeSpan.Zero);

        Assert.Equal(61, framesDue);
        Assert.Equal(60_013, framesDueLater);
    }

    [Fact]
    public async Task Drift_Minus100Ppm_DelayUntilAsync_WaitsOnTheSenderClock()
    {
        var time = new FakeTimeProvider(WallStart);
        var clock = SimulatedSenderClock.Boot(time, TimeSpan.FromHours(2), -100);

        var waiting = clock.DelayUntilAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(2));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(clock.Position >= TimeSpan.FromSeconds(10));
        Assert.True(clock.DelayUntilAsync(TimeSpan.FromSeconds(5), CancellationToken.None).IsCompleted);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("offset:")]
    [InlineData("offset:-5")]
    [InlineData("offset:1e9")]
    [InlineData("")]
    public void Parse_BadSpec_ThrowsFormatException(string spec)
    {
        var error = Assert.Throws<FormatException>(() => SimulatedSenderClock.Parse(spec, 0, TimeProvider.System));
        Assert.Contains("offset:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1_000_000)]
    public void Parse_BadDrift_ThrowsArgumentOutOfRange(double ppm) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SimulatedSenderClock.Parse("boot", ppm, TimeProvider.System));

    [Fact]
    public async Task TimingResponder_BootClock_RepliesWithUptimePlusTheEpoch()
    {
        var time = new FakeTimeProvider(WallStart);
        var uptime = TimeSpan.FromSeconds(34965.543883);
        await using var responder = new TimingResponder(IPAddress.Loopback, time, SimulatedSenderClock.Boot(time, uptime));
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await client.SendAsync(Request(0xE898E6BD05108B34), new IPEndPoint(IPAddress.Loopback, responder.Port), cts.Token);
        var reply = await client.ReceiveAsync(cts.Token);

        Assert.Equal(TimingPacket.ReplyType, reply.Buffer[1]);
        Assert.True(TimingPacket.TryReadTimes(reply.Buffer, out var origin, out var received, out var transmit));
        Assert.Equal(0xE898E6BD05108B34UL, origin);
        var expected = (long)(Epoch * 1_000_000_000UL) + (long)uptime.TotalNanoseconds;
        Assert.InRange(NtpTimestamp.ToNanoseconds(received) - expected, -1, 0);
        Assert.Equal(received, transmit);
        Assert.Equal(1, responder.RequestsAnswered);
    }

    [Fact]
    public async Task TimingResponder_RepliesOff_AnswersNothing()
    {
        await using var responder = new TimingResponder(IPAddress.Loopback, answerRequests: false);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(Request(1), new IPEndPoint(IPAddress.Loopback, responder.Port));
        using var window = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.ReceiveAsync(window.Token));
        Assert.Equal(0, responder.RequestsAnswered);
        Assert.Equal(1, responder.RequestsIgnored);
        Assert.Equal(SenderClockMode.Boot, responder.Clock.Mode);
    }

    [Fact]
    public async Task AudioStreamSender_FirstSync_CarriesTheSharedClocksNtpTime()
    {
        var time = new FakeTimeProvider(WallStart);
        var clock = SimulatedSenderClock.Boot(time, TimeSpan.FromSeconds(130979.9176));
        using var data = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var control = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var audio = new AudioStreamSender(IPAddress.Loopback, [new byte[40]], time, clock);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var mirror = clock.MirrorNow();

        var run = audio.RunAsync((IPEndPoint)data.Client.LocalEndPoint!, (IPEndPoint)control.Client.LocalEndPoint!, new byte[16], new byte[16], cts.Token);
        var sync = await control.ReceiveAsync(cts.Token);
        await cts.CancelAsync();
        await run;

        Assert.Equal((byte)0xD4, sync.Buffer[1]);
        var ntp = BinaryPrimitives.ReadUInt64BigEndian(sync.Buffer.AsSpan(8));
        Assert.Equal(clock.NtpAt(TimeSpan.Zero), ntp);
        Assert.Equal(Seconds(mirror) + Epoch, Seconds(ntp));
        Assert.Equal(Fraction(mirror), Fraction(ntp));
    }

    private static byte[] Request(ulong transmit)
    {
        var request = new byte[TimingPacket.Length];
        TimingPacket.WriteRequest(request, 0, 0, transmit);
        return request;
    }

    private static void AssertMirrorIsNtpLessEpoch(SimulatedSenderClock clock)
    {
        var position = clock.Position;
        var ntp = clock.NtpAt(position);
        var mirror = clock.MirrorAt(position);
        Assert.Equal(unchecked((uint)(Seconds(ntp) - Epoch)), Seconds(mirror));
        Assert.Equal(Fraction(ntp), Fraction(mirror));
    }

    private static ulong Seconds(ulong value) => value >> 32;

    private static ulong Fraction(ulong value) => value & 0xFFFF_FFFFUL;
}
