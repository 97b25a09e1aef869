using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Web.Recording;

namespace Receiver.Web.Tests.Recording;

/// <summary>
/// A recorder writes every picture's own bytes while fragment buffers are recycled under it: the session's pool
/// poisons every returned buffer (and catches a write to one), a slow viewer holds fragments and is skipped forward,
/// and the recorder's file must hold, fragment after fragment, exactly the access units that were published.
/// </summary>
public sealed class RecordingRecyclingTests : IDisposable
{
    private const int Frames = 1500;
    private const int Gop = 30;
    private static readonly byte[] Sps1280X720 = Convert.FromHexString("6742c01fda014016ec0440000003004000000f03c60ca8");
    private static readonly byte[] Pps = Convert.FromHexString("68ce0fc8");

    private readonly string _directory = Directory.CreateTempSubdirectory("recording-recycling-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Record_WhileBuffersAreRecycled_FileHoldsThePublishedPictures()
    {
        var pool = new FragmentPool(maxRetainedBytes: 2L * 1024 * 1024, poisonReturned: true);
        var registry = new SessionRegistry(new SessionEventHub(), TimeProvider.System, new MediaChannelOptions { FragmentPool = pool, MaxQueuedMessages = 64 });
        var session = registry.Start(new SenderInfo("aa:bb:cc:dd:ee:04", "Phone", "iPhone", "iOS", "18.0", "860.7.1", "192.0.2.10"), "AirPlay", IPAddress.Parse("192.0.2.10"));
        session.Media.Publish(VideoFormat.FromH264([Sps1280X720], [Pps]));
        var budget = new RecordingBudget(long.MaxValue, 0, new FakeVolume(long.MaxValue), _directory, TimeProvider.System);
        var recorder = new SessionRecorder(session, _directory, "recycled", DateTimeOffset.UtcNow, budget, TimeProvider.System, NullLogger.Instance);
        recorder.Start();
        using var slow = session.Media.Subscribe();
        var slowReader = Task.Run(async () =>
        {
            var held = new Queue<MediaMessage>();
            await foreach (var message in slow.Reader.ReadAllAsync())
            {
                held.Enqueue(message);
                if (held.Count > 20)
                {
                    held.Dequeue().Release();
                    await Task.Delay(1);
                }
            }

            while (held.TryDequeue(out var message))
            {
                message.Release();
            }
        });

        for (var i = 0; i < Frames; i++)
        {
            session.Media.Publish(Frame(i));
            if (i % 10 == 0)
            {
                // At the pace of a stream, a little faster: the recorder keeps up, the slow viewer does not.
                await Task.Delay(1);
            }
        }

        var info = await recorder.StopAsync();
        session.Media.Complete("test");
        await slowReader;

        var payloads = MdatPayloads(await File.ReadAllBytesAsync(Path.Combine(_directory, Assert.Single(info.Files))));
        Assert.True(payloads.Count > Frames / 2, $"{payloads.Count} pictures recorded");
        var index = -1;
        foreach (var payload in payloads)
        {
            var found = IndexOf(payload);
            Assert.True(found > index, $"recorded picture {payloads.IndexOf(payload)} is not one published after the previous one");
            index = found;
        }

        Assert.True(slow.Skips > 0, "the slow viewer was never skipped");
        Assert.True(pool.Reused > Frames / 2, $"buffers were reused {pool.Reused} times");
        registry.End(session, SessionEndReason.Teardown);
    }

    private static VideoAccessUnit Frame(int index)
    {
        var payload = new byte[Size(index)];
        Fill(payload, index);
        return new VideoAccessUnit(payload, index % Gop == 0, index * 1500L, index * 16_666_667L);
    }

    private static int Size(int index) => 300 + (index * 7919 % 5000) + (index % Gop == 0 ? 12_000 : 0);

    /// <summary>A picture's bytes: its index in the first four, then a pattern of it.</summary>
    private static void Fill(Span<byte> payload, int index)
    {
        BinaryPrimitives.WriteInt32BigEndian(payload, index);
        for (var j = 4; j < payload.Length; j++)
        {
            payload[j] = (byte)((index * 31) + j);
        }
    }

    /// <summary>The index of the picture these bytes are, after checking every byte of it.</summary>
    private static int IndexOf(byte[] payload)
    {
        var index = BinaryPrimitives.ReadInt32BigEndian(payload);
        Assert.InRange(index, 0, Frames - 1);
        var expected = new byte[Size(index)];
        Fill(expected, index);
        Assert.True(expected.AsSpan().SequenceEqual(payload), $"picture {index}: the file holds other bytes than were published");
        return index;
    }

    private static List<byte[]> MdatPayloads(byte[] file)
    {
        var payloads = new List<byte[]>();
        var at = 0;
        while (at + 8 <= file.Length)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            Assert.True(size >= 8 && at + size <= file.Length, $"a box at {at} of {size} bytes");
            if (file.AsSpan(at + 4, 4).SequenceEqual("mdat"u8))
            {
                payloads.Add(file.AsSpan(at + 8, size - 8).ToArray());
            }

            at += size;
        }

        return payloads;
    }
}
