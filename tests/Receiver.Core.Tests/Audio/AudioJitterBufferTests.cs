using Receiver.Core.Audio;

namespace Receiver.Core.Tests.Audio;

public sealed class AudioJitterBufferTests
{
    private static readonly byte[] Payload = [1, 2, 3];

    [Fact]
    public void Insert_RedundantCopies_DeliveredOnceInOrder()
    {
        var buffer = new AudioJitterBuffer();
        var delivered = new List<ushort>();
        foreach (var seq in new ushort[] { 0, 0, 1, 0, 1, 2, 1, 2, 3, 2, 3, 4 })
        {
            buffer.Insert(seq, seq * 480u, Payload);
            while (buffer.TryDequeue(out var packet))
            {
                delivered.Add(packet.Sequence);
            }
        }

        Assert.Equal(new ushort[] { 0, 1, 2, 3, 4 }, delivered);
        Assert.Equal(7, buffer.Duplicates);
    }

    [Fact]
    public void Insert_Reordered_HeldUntilHoleFilled()
    {
        var buffer = new AudioJitterBuffer();
        buffer.Insert(10, 0, Payload);
        Assert.True(buffer.TryDequeue(out _));
        buffer.Insert(12, 0, Payload);
        Assert.False(buffer.TryDequeue(out _));
        buffer.Insert(11, 0, Payload);
        Assert.True(buffer.TryDequeue(out var first));
        Assert.True(buffer.TryDequeue(out var second));
        Assert.Equal((ushort)11, first.Sequence);
        Assert.Equal((ushort)12, second.Sequence);
    }

    [Fact]
    public void TryDequeue_HoleHeldTooLong_ReportedLost()
    {
        var buffer = new AudioJitterBuffer(capacity: 64, maxHoldPackets: 3);
        buffer.Insert(100, 0, Payload);
        buffer.TryDequeue(out _);
        buffer.Insert(102, 0, Payload);
        buffer.Insert(103, 0, Payload);
        Assert.False(buffer.TryDequeue(out _));
        buffer.Insert(104, 0, Payload);
        Assert.True(buffer.TryDequeue(out var lost));
        Assert.True(lost.IsLost);
        Assert.Equal((ushort)101, lost.Sequence);
        Assert.Equal(1, buffer.Lost);
        buffer.Insert(101, 0, Payload);
        Assert.Equal(1, buffer.Duplicates + buffer.Late);
    }

    [Fact]
    public void CollectMissing_Holes_EachRequestedOnce()
    {
        var buffer = new AudioJitterBuffer();
        buffer.Insert(65534, 0, Payload);
        buffer.TryDequeue(out _);
        buffer.Insert(1, 0, Payload); // 65535 and 0 missing (wrap)
        buffer.Insert(4, 0, Payload); // 2 and 3 missing
        var runs = new List<(ushort, ushort)>();
        Assert.Equal(2, buffer.CollectMissing(runs));
        Assert.Equal([((ushort)65535, (ushort)2), ((ushort)2, (ushort)2)], runs);
        runs.Clear();
        Assert.Equal(0, buffer.CollectMissing(runs));
        buffer.Insert(6, 0, Payload);
        Assert.Equal(1, buffer.CollectMissing(runs));
        Assert.Equal(((ushort)5, (ushort)1), runs[0]);
    }

    [Fact]
    public void Insert_FarJump_Restarts()
    {
        var buffer = new AudioJitterBuffer(capacity: 16, maxHoldPackets: 4);
        buffer.Insert(1, 0, Payload);
        buffer.TryDequeue(out _);
        buffer.Insert(5000, 0, Payload);
        Assert.True(buffer.TryDequeue(out var packet));
        Assert.Equal((ushort)5000, packet.Sequence);
        Assert.Equal(1, buffer.Restarts);
    }
}
