using Receiver.Core.Audio;

namespace Receiver.Core.Tests.Audio;

public sealed class PcmFrameReaderTests
{
    private static byte[] Stream(int frames, int frameLength) =>
        Enumerable.Range(0, frames * frameLength).Select(i => (byte)(i / frameLength)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(1919)]
    [InlineData(1920)]
    [InlineData(5000)]
    public void TryRead_StreamInChunks_FramesAreTheStreamCutAtFrameBoundaries(int chunk)
    {
        var reader = new PcmFrameReader(480, 2);
        Assert.Equal(480 * 4, reader.FrameLength);
        var input = Stream(7, reader.FrameLength);
        var frames = new List<byte[]>();
        for (var offset = 0; offset < input.Length; offset += chunk)
        {
            var data = input.AsSpan(offset, Math.Min(chunk, input.Length - offset));
            while (!data.IsEmpty)
            {
                var complete = reader.TryRead(data, out var consumed, out var frame);
                Assert.InRange(consumed, 1, data.Length);
                data = data[consumed..];
                if (complete)
                {
                    frames.Add(frame);
                }
            }
        }

        Assert.Equal(7, frames.Count);
        Assert.Equal(7, reader.FramesRead);
        Assert.Equal(0, reader.PendingBytes);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(input.AsSpan(i * reader.FrameLength, reader.FrameLength).ToArray(), frames[i]);
        }
    }

    [Fact]
    public void TryRead_PartialFrame_KeepsItsBytesAndReturnsFalse()
    {
        var reader = new PcmFrameReader(352, 2);
        Assert.False(reader.TryRead(new byte[100], out var consumed, out var frame));
        Assert.Equal(100, consumed);
        Assert.Empty(frame);
        Assert.Equal(100, reader.PendingBytes);
        Assert.True(reader.TryRead(new byte[2000], out consumed, out frame));
        Assert.Equal((352 * 4) - 100, consumed);
        Assert.Equal(352 * 4, frame.Length);
    }

    [Fact]
    public void TryRead_ReturnedFrames_AreNotReusedByLaterReads()
    {
        var reader = new PcmFrameReader(4, 1);
        reader.TryRead(new byte[] { 1, 1, 1 }, out _, out _);
        reader.TryRead(new byte[] { 1, 1, 1, 1, 1 }, out _, out var first);
        reader.TryRead(new byte[] { 2, 2, 2 }, out _, out _);
        reader.TryRead(new byte[] { 2, 2, 2, 2, 2 }, out _, out var second);
        Assert.All(first, b => Assert.Equal(1, b));
        Assert.All(second, b => Assert.Equal(2, b));
    }

    [Fact]
    public void Constructor_NoSamples_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => new PcmFrameReader(0, 2));
}
