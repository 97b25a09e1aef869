using Receiver.Core.Audio;

namespace Receiver.Core.Tests.Audio;

/// <summary>
/// The receive policy driven by scripted packet orders: every script lists arrivals in order and the test checks
/// what leaves (sequence numbers, "L" for a packet given up as lost), what is asked for again, and the counters.
/// </summary>
public sealed class AudioJitterBufferScriptTests
{
    [Fact]
    public void InOrder_LeavesAtOnceWithoutRequests()
    {
        var run = Run(new AudioJitterBuffer(), [1, 2, 3, 4, 5]);
        Assert.Equal("1 2 3 4 5", run.Delivered);
        Assert.Empty(run.Requests);
    }

    [Fact]
    public void Reordered_HeldUntilTheHoleFillsThenInOrder()
    {
        var run = Run(new AudioJitterBuffer(), [10, 12, 13, 11, 14]);
        Assert.Equal("10 11 12 13 14", run.Delivered);
        Assert.Equal(["11+1"], run.Requests);
        Assert.Equal(0, run.Buffer.Lost);
    }

    [Fact]
    public void RedundantCopies_DeliveredOnce()
    {
        var run = Run(new AudioJitterBuffer(), [5, 5, 6, 5, 6, 7, 6, 7, 7]);
        Assert.Equal("5 6 7", run.Delivered);
        Assert.Equal(6, run.Buffer.Duplicates);
    }

    [Fact]
    public void Loss_GivenUpAfterMaxHoldNewerPackets()
    {
        var run = Run(new AudioJitterBuffer(capacity: 32, maxHoldPackets: 3), [1, 3, 4, 5, 6]);
        Assert.Equal("1 L 3 4 5 6", run.Delivered);
        Assert.Equal(["2+1"], run.Requests);
        Assert.Equal(1, run.Buffer.Lost);
    }

    [Fact]
    public void RetransmitInTime_FillsTheHole()
    {
        var run = Run(new AudioJitterBuffer(capacity: 32, maxHoldPackets: 3), [1, 3, 4, 2, 5]);
        Assert.Equal("1 2 3 4 5", run.Delivered);
        Assert.Equal(0, run.Buffer.Lost);
    }

    [Fact]
    public void LateRetransmit_AfterTheHoleWasGivenUp_IsDropped()
    {
        var run = Run(new AudioJitterBuffer(capacity: 32, maxHoldPackets: 2), [1, 3, 4, 2, 5]);
        Assert.Equal("1 L 3 4 5", run.Delivered);
        Assert.Equal(1, run.Buffer.Duplicates + run.Buffer.Late);
    }

    [Fact]
    public void SequenceWrap_ReorderedAcrossZero_InOrder()
    {
        var run = Run(new AudioJitterBuffer(), [65534, 0, 65535, 1, 2]);
        Assert.Equal("65534 65535 0 1 2", run.Delivered);
        Assert.Equal(["65535+1"], run.Requests);
    }

    [Fact]
    public void SequenceWrap_HolesAcrossZero_RequestedAsOneRun()
    {
        var run = Run(new AudioJitterBuffer(capacity: 64, maxHoldPackets: 8), [65533, 1, 65534, 65535, 0]);
        Assert.Equal("65533 65534 65535 0 1", run.Delivered);
        Assert.Equal(["65534+3"], run.Requests);
    }

    [Fact]
    public void FarJump_StartsOverAndReturnsWhatWasHeld()
    {
        var run = Run(new AudioJitterBuffer(capacity: 16, maxHoldPackets: 4), [1, 3, 4000, 4001]);
        Assert.Equal("1 4000 4001", run.Delivered);
        Assert.Equal(1, run.Buffer.Restarts);
        Assert.Equal(0, run.Buffer.Count);
    }

    [Fact]
    public void Payloads_KeptPerPacketAndCopiedFromTheCallersBuffer()
    {
        var buffer = new AudioJitterBuffer();
        var datagram = new byte[] { 9, 9, 9 };
        buffer.Insert(1, 480, datagram, receivedAtTicks: 77);
        datagram[0] = 1; // the socket's buffer is reused for the next datagram
        buffer.Insert(2, 960, datagram.AsSpan(0, 2));
        Assert.True(buffer.TryDequeue(out var first));
        Assert.Equal(new byte[] { 9, 9, 9 }, first.Payload.ToArray());
        Assert.Equal(480u, first.Timestamp);
        Assert.Equal(77, first.ReceivedAtTicks);
        Assert.True(buffer.TryDequeue(out var second));
        Assert.Equal(new byte[] { 1, 9 }, second.Payload.ToArray());
        AudioJitterBuffer.Release(first);
        AudioJitterBuffer.Release(second);
    }

    [Fact]
    public void LostMarker_HasNoPayload()
    {
        var buffer = new AudioJitterBuffer(capacity: 8, maxHoldPackets: 1);
        buffer.Insert(1, 0, [1]);
        buffer.TryDequeue(out var first);
        AudioJitterBuffer.Release(first);
        buffer.Insert(3, 0, [3]);
        Assert.True(buffer.TryDequeue(out var lost));
        Assert.True(lost.IsLost);
        Assert.True(lost.Payload.IsEmpty);
        AudioJitterBuffer.Release(lost);
    }

    [Fact]
    public void Clear_DropsEverythingHeld()
    {
        var buffer = new AudioJitterBuffer();
        buffer.Insert(1, 0, [1]);
        buffer.Insert(3, 0, [3]);
        buffer.Insert(4, 0, [4]);
        buffer.Clear();
        Assert.Equal(0, buffer.Count);
    }

    private static ScriptRun Run(AudioJitterBuffer buffer, ushort[] arrivals)
    {
        var delivered = new List<string>();
        var requests = new List<string>();
        var runs = new List<(ushort First, ushort Count)>();
        foreach (var sequence in arrivals)
        {
            if (buffer.Insert(sequence, sequence * 480u, [(byte)sequence]))
            {
                runs.Clear();
                buffer.CollectMissing(runs);
                requests.AddRange(runs.Select(r => $"{r.First}+{r.Count}"));
            }

            while (buffer.TryDequeue(out var packet))
            {
                if (!packet.IsLost)
                {
                    Assert.Equal((byte)packet.Sequence, packet.Payload[0]);
                    Assert.Equal(packet.Sequence * 480u, packet.Timestamp);
                }

                delivered.Add(packet.IsLost ? "L" : packet.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
                AudioJitterBuffer.Release(packet);
            }
        }

        return new ScriptRun(string.Join(' ', delivered), requests, buffer);
    }

    private sealed record ScriptRun(string Delivered, List<string> Requests, AudioJitterBuffer Buffer);
}
