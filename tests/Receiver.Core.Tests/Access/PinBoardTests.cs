using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Access;

namespace Receiver.Core.Tests.Access;

public sealed class PinBoardTests
{
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("192.168.1.20"), 50000);

    [Fact]
    public void Issue_GivesAZeroPaddedPinFromTheInjectedRandom()
    {
        // 42 as little-endian bytes → "0042".
        using var board = new PinBoard(new FakeTimeProvider(), new ScriptedRandom([42, 0, 0, 0]));
        var pin = board.Issue("Anna's iPhone", Remote);

        Assert.Equal("0042", pin.Pin);
        Assert.Equal("Anna's iPhone", pin.DeviceName);
        Assert.Same(pin, board.Current);
        Assert.DoesNotContain("0042", pin.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_ManyTimes_GivesFourDigitPins()
    {
        using var board = new PinBoard(new FakeTimeProvider(), RandomNumberGenerator.Create());
        var pins = Enumerable.Range(0, 200).Select(_ => board.Issue("iPad", Remote).Pin).ToList();

        Assert.All(pins, p => Assert.Matches("^[0-9]{4}$", p));
        Assert.True(pins.Distinct().Count() > 100);
    }

    [Fact]
    public void Pin_ExpiresAfterTwoMinutes_AndRaisesCleared()
    {
        var time = new FakeTimeProvider();
        using var board = new PinBoard(time, RandomNumberGenerator.Create());
        PinChallenge? requested = null;
        var cleared = 0;
        board.PinRequested += p => requested = p;
        board.PinCleared += () => cleared++;

        var pin = board.Issue("iPad", Remote);
        Assert.Same(pin, requested);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(2), pin.ExpiresAt);

        time.Advance(TimeSpan.FromSeconds(119));
        Assert.NotNull(board.Current);
        Assert.Equal(0, cleared);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(board.Current);
        Assert.Equal(1, cleared);
    }

    [Fact]
    public void Clear_RemovesThePinOnce_AndANewPinReplacesTheOld()
    {
        var time = new FakeTimeProvider();
        using var board = new PinBoard(time, RandomNumberGenerator.Create());
        var cleared = 0;
        board.PinCleared += () => cleared++;

        var first = board.Issue("iPad", Remote);
        time.Advance(TimeSpan.FromSeconds(90));
        var second = board.Issue("iPhone", Remote);
        Assert.False(board.Clear(first));
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Same(second, board.Current);

        board.Clear();
        board.Clear();
        Assert.Null(board.Current);
        Assert.Equal(1, cleared);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, cleared);
    }

    /// <summary>Hands out the given bytes, then zeros.</summary>
    private sealed class ScriptedRandom(byte[] bytes) : RandomNumberGenerator
    {
        private int _next;

        public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

        public override void GetBytes(Span<byte> data)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = _next < bytes.Length ? bytes[_next++] : (byte)0;
            }
        }
    }
}
