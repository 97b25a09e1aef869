using System.Buffers.Binary;
using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

/// <summary>
/// Fragment buffers are recycled while viewers read slowly, hold fragments, fall behind and join late: with a pool
/// that poisons every returned buffer (and catches a write to one), each reader must still see exactly the bytes
/// that were published for each picture. A buffer returned while someone still held it would show up here as
/// poison or as another picture's bytes.
/// </summary>
public sealed class FragmentRecyclingTests
{
    private const int Frames = 3000;
    private const int Gop = 30;

    [Fact]
    public async Task Publish_WhileBuffersAreRecycled_EveryReaderSeesThePublishedBytes()
    {
        var pool = new FragmentPool(maxRetainedBytes: 4L * 1024 * 1024, poisonReturned: true);
        var channel = new MediaChannel(new MediaChannelOptions { FragmentPool = pool, MaxQueuedMessages = 48 });
        channel.Publish(MediaVectors.Format720p());
        using var fast = channel.Subscribe();
        using var slow = channel.Subscribe();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var fastReader = Task.Run(() => ReadAsync(fast, holdBack: 0, pauseEvery: 0, stop.Token));
        var slowReader = Task.Run(() => ReadAsync(slow, holdBack: 40, pauseEvery: 5, stop.Token));
        var lateJoiners = 0;
        var lateFragments = 0;
        for (var i = 0; i < Frames; i++)
        {
            channel.Publish(Frame(i));
            if (i % 97 == 50)
            {
                // A late joiner gets the GOP so far from the cache, held by the cache while live pictures recycle.
                using var late = channel.Subscribe();
                while (late.Reader.TryRead(out var message))
                {
                    if (message is MediaMessage.Fragment fragment)
                    {
                        Check(fragment);
                        lateFragments++;
                    }

                    message.Release();
                }

                lateJoiners++;
            }

            if (i % 7 == 0)
            {
                await Task.Yield();
            }
        }

        channel.Complete("test");
        var fastSeen = await fastReader;
        var slowSeen = await slowReader;

        Assert.Equal(fast.DeliveredFragments, fastSeen);
        Assert.Equal(Frames, fastSeen + fast.DroppedFragments);
        Assert.Equal(slow.DeliveredFragments, slowSeen);
        Assert.Equal(Frames, slowSeen + slow.DroppedFragments);
        Assert.True(slow.Skips > 0, "the slow viewer was never skipped forward, so no queued fragment was dropped");
        Assert.True(lateJoiners > 20 && lateFragments > 200, $"{lateJoiners} late joiners, {lateFragments} GOP fragments");
        Assert.True(pool.Reused > Frames / 2, $"buffers were reused {pool.Reused} times");
    }

    [Fact]
    public void Complete_AllHoldersReleased_EveryBufferIsBackInThePool()
    {
        var pool = new FragmentPool();
        var channel = new MediaChannel(new MediaChannelOptions { FragmentPool = pool });
        channel.Publish(MediaVectors.Format720p());
        var viewer = channel.Subscribe();
        for (var i = 0; i < 50; i++)
        {
            channel.Publish(new VideoAccessUnit(new byte[100], i % Gop == 0, i * 1500L, i * 16_666_667L));
        }

        Assert.True(viewer.Reader.TryRead(out var first));
        first.Release();
        channel.Complete("test");
        viewer.Dispose();

        Assert.Equal(pool.Created * 4096, pool.RetainedBytes);
    }

    private static async Task<int> ReadAsync(MediaViewer viewer, int holdBack, int pauseEvery, CancellationToken cancellationToken)
    {
        var held = new Queue<MediaMessage.Fragment>();
        var seen = 0;
        await foreach (var message in viewer.Reader.ReadAllAsync(cancellationToken))
        {
            if (message is not MediaMessage.Fragment fragment)
            {
                message.Release();
                continue;
            }

            Check(fragment);
            seen++;
            held.Enqueue(fragment);
            while (held.Count > holdBack)
            {
                var old = held.Dequeue();
                Check(old);
                old.Release();
            }

            if (pauseEvery > 0 && seen % pauseEvery == 0)
            {
                await Task.Delay(1, cancellationToken);
            }
        }

        while (held.TryDequeue(out var old))
        {
            Check(old);
            old.Release();
        }

        return seen;
    }

    private static VideoAccessUnit Frame(int index)
    {
        var payload = new byte[Size(index)];
        Fill(payload, index);
        return new VideoAccessUnit(payload, index % Gop == 0, index * 1500L, index * 16_666_667L);
    }

    private static int Size(int index) => 200 + (index * 7919 % 6000) + (index % Gop == 0 ? 20_000 : 0);

    private static void Fill(Span<byte> payload, int index)
    {
        for (var j = 0; j < payload.Length; j++)
        {
            payload[j] = (byte)((index * 31) + j);
        }
    }

    /// <summary>The fragment of picture <c>SequenceNumber - 1</c>: its header and every byte of its access unit.</summary>
    private static void Check(MediaMessage.Fragment fragment)
    {
        var index = (int)fragment.SequenceNumber - 1;
        var data = fragment.Data.Span;
        Assert.Equal(fragment.SequenceNumber, BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
        Assert.Equal((ulong)fragment.DecodeTime90k, BinaryPrimitives.ReadUInt64BigEndian(data[60..]));
        Assert.Equal((uint)Size(index), BinaryPrimitives.ReadUInt32BigEndian(data[92..]));
        Assert.Equal(index % Gop == 0, fragment.IsKeyframe);
        var expected = new byte[Size(index)];
        Fill(expected, index);
        Assert.True(fragment.AccessUnit.Span.SequenceEqual(expected), $"picture {index}: its bytes changed while it was held");
    }
}
