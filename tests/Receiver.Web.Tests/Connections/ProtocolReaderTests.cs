using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Mirroring;
using Receiver.Core.Rtsp;
using Receiver.Web.Connections;

namespace Receiver.Web.Tests.Connections;

/// <summary>The connection read loop over a pipe pair, with time driven by a <see cref="FakeTimeProvider"/>.</summary>
public sealed class ProtocolReaderTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly Pipe _pipe = new();

    private ProtocolReader NewReader(ProtocolTimeouts? timeouts = null) =>
        new(_pipe.Reader, _time, timeouts ?? new ProtocolTimeouts { Idle = Idle });

    private async Task SendAsync(string text) => await _pipe.Writer.WriteAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Lets the reader's continuation run (it is scheduled on the thread pool), without advancing time.</summary>
    private static async Task SettleAsync<T>(ValueTask<T> read)
    {
        for (var i = 0; i < 20 && !read.IsCompleted; i++)
        {
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task ReadAsync_NothingArrives_TimesOutIdleOnFakeClock()
    {
        using var reader = NewReader();
        var requests = new RtspRequestReader(RtspLimits.Default);

        var read = reader.ReadAsync(requests);
        _time.Advance(Idle - TimeSpan.FromSeconds(1));
        await SettleAsync(read);
        Assert.False(read.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await read.AsTask().WaitAsync(Guard);

        Assert.Equal(ProtocolTimeout.Idle, result.TimedOut);
        Assert.False(result.HasMessage);
    }

    [Fact]
    public async Task ReadAsync_IdleTimerFiresEarly_TimesOutAtIdleNotTwice()
    {
        // System timers count whole milliseconds and can fire just before the high-resolution clock reaches the
        // deadline; the idle timeout must then end at its deadline, not a whole idle period later.
        using var reader = new ProtocolReader(_pipe.Reader, new EarlyTimers(_time), new ProtocolTimeouts { Idle = Idle });
        var requests = new RtspRequestReader(RtspLimits.Default);

        var read = reader.ReadAsync(requests);
        _time.Advance(Idle - TimeSpan.FromMilliseconds(1));
        await SettleAsync(read);
        Assert.False(read.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await read.AsTask().WaitAsync(Guard);

        Assert.Equal(ProtocolTimeout.Idle, result.TimedOut);
    }

    [Fact]
    public async Task ReadAsync_BytesKeepArriving_IdleRestartsWithEachRead()
    {
        using var reader = NewReader();
        var requests = new RtspRequestReader(RtspLimits.Default);

        var read = reader.ReadAsync(requests);
        _time.Advance(TimeSpan.FromSeconds(20));
        await SendAsync("GET /info RTSP/1.0\r\n");
        await SettleAsync(read);
        _time.Advance(TimeSpan.FromSeconds(20));
        await SendAsync("CSeq: 3\r\n\r\n");
        var result = await read.AsTask().WaitAsync(Guard);

        Assert.True(result.HasMessage);
        Assert.Equal("3", result.Message!.CSeq);
        reader.Advance();
    }

    [Fact]
    public async Task ReadAsync_MessageDripsTooSlowly_TimesOutOnMessageDeadline()
    {
        using var reader = NewReader(new ProtocolTimeouts { Idle = Idle, Message = TimeSpan.FromSeconds(10) });
        var requests = new RtspRequestReader(RtspLimits.Default);

        var read = reader.ReadAsync(requests);
        _time.Advance(TimeSpan.FromSeconds(25));
        await SendAsync("G");
        await SettleAsync(read);
        for (var i = 0; i < 3 && !read.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(4));
            await SendAsync("E");
            await SettleAsync(read);
        }

        var result = await read.AsTask().WaitAsync(Guard);

        Assert.Equal(ProtocolTimeout.Message, result.TimedOut);
    }

    [Fact]
    public async Task ReadAsync_FirstMessageLate_TimesOutEvenWhileBytesArrive()
    {
        using var reader = NewReader(new ProtocolTimeouts { Idle = Idle, FirstMessage = TimeSpan.FromSeconds(5) });
        var requests = new RtspRequestReader(RtspLimits.Default);

        var read = reader.ReadAsync(requests);
        await SendAsync("GET /info");
        await SettleAsync(read);
        _time.Advance(TimeSpan.FromSeconds(5));
        var result = await read.AsTask().WaitAsync(Guard);

        Assert.Equal(ProtocolTimeout.FirstMessage, result.TimedOut);
    }

    [Fact]
    public async Task ReadAsync_PipelinedRequestsThenPackets_EachReaderGetsItsBytes()
    {
        using var reader = NewReader();
        var header = new byte[MirrorPacketHeader.Size];
        header[0] = 4;
        await _pipe.Writer.WriteAsync(Encoding.Latin1.GetBytes("GET /a HTTP/1.1\r\n\r\nPOST /stream HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi").Concat(header).Concat(new byte[] { 9, 9, 9, 9 }).ToArray());
        await _pipe.Writer.CompleteAsync();
        var requests = new RtspRequestReader(RtspLimits.Default);
        var packets = new MirrorPacketMessageReader(1024);

        var first = await reader.ReadAsync(requests).AsTask().WaitAsync(Guard);
        Assert.Equal("/a", first.Message!.Target);
        reader.Advance();
        var second = await reader.ReadAsync(requests).AsTask().WaitAsync(Guard);
        Assert.Equal("hi", Encoding.Latin1.GetString(second.Message!.Body.Span));
        reader.Advance();
        var packet = await reader.ReadAsync(packets).AsTask().WaitAsync(Guard);
        Assert.Equal(4u, packet.Message.Header.PayloadSize);
        Assert.Equal(new byte[] { 9, 9, 9, 9 }, packet.Message.Payload.ToArray());
        reader.Advance();
        var end = await reader.ReadAsync(packets).AsTask().WaitAsync(Guard);

        Assert.True(end.IsCompleted);
        Assert.Equal(0, end.UnparsedBytes);
    }

    [Fact]
    public async Task ReadAsync_PeerClosesMidMessage_ReportsUnparsedBytes()
    {
        using var reader = NewReader();
        const string Truncated = "POST /fp-setup RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 16\r\n\r\nabc";
        await SendAsync(Truncated);
        await _pipe.Writer.CompleteAsync();

        var result = await reader.ReadAsync(new RtspRequestReader(RtspLimits.Default)).AsTask().WaitAsync(Guard);

        Assert.True(result.IsCompleted);
        Assert.Equal(Truncated.Length, result.UnparsedBytes);
    }

    [Fact]
    public async Task ReadAsync_MalformedRequest_ThrowsWithCSeq()
    {
        using var reader = NewReader();
        await SendAsync("GET /info RTSP/1.0\r\nCSeq: 9\r\nbad line\r\n\r\n");

        var ex = await Assert.ThrowsAsync<RtspProtocolException>(() => reader.ReadAsync(new RtspRequestReader(RtspLimits.Default)).AsTask().WaitAsync(Guard));

        Assert.Equal("9", ex.CSeq);
    }

    /// <summary>The fake clock, with timers that fire a millisecond before their due time (when it is longer than that).</summary>
    private sealed class EarlyTimers(FakeTimeProvider time) : TimeProvider
    {
        public override long TimestampFrequency => time.TimestampFrequency;

        public override long GetTimestamp() => time.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new EarlyTimer(time.CreateTimer(callback, state, Early(dueTime), period));

        private static TimeSpan Early(TimeSpan due) => due > TimeSpan.FromMilliseconds(1) ? due - TimeSpan.FromMilliseconds(1) : due;

        private sealed class EarlyTimer(ITimer timer) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime == Timeout.InfiniteTimeSpan ? dueTime : Early(dueTime), period);

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }
}
