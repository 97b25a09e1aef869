using System.Threading.Channels;
using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class MediaChannelTests
{
    private static VideoAccessUnit Frame(int index, bool keyframe, int size = 100) =>
        new(new byte[size], keyframe, index * 1500L, index * 16_666_667L);

    private static List<MediaMessage> Drain(ChannelReader<MediaMessage> reader)
    {
        var messages = new List<MediaMessage>();
        while (reader.TryRead(out var message))
        {
            messages.Add(message);
        }

        return messages;
    }

    private static void PublishFrames(MediaChannel channel, int from, int to, int gop)
    {
        for (var i = from; i < to; i++)
        {
            channel.Publish(Frame(i, i % gop == 0));
        }
    }

    [Fact]
    public void Subscribe_LateJoiner_ReceivesInitThenCurrentGopStartingWithKeyframe()
    {
        var channel = new MediaChannel();
        channel.Publish(MediaVectors.Format720p());
        PublishFrames(channel, 0, 25, gop: 10);

        using var viewer = channel.Subscribe();
        var messages = Drain(viewer.Reader);

        var format = Assert.IsType<MediaMessage.FormatChanged>(messages[0]);
        Assert.Equal(new Fmp4Muxer().CreateInitSegment(MediaVectors.Format720p()), format.InitSegment);
        var fragments = messages.Skip(1).Cast<MediaMessage.Fragment>().ToList();
        Assert.Equal(5, fragments.Count);
        Assert.True(fragments[0].IsKeyframe);
        Assert.Equal(Enumerable.Range(21, 5).Select(i => (uint)i), fragments.Select(f => f.SequenceNumber));
        Assert.Equal(1, channel.ViewerCount);
    }

    [Fact]
    public void Publish_Fragment_IsSharedAndExposesAccessUnit()
    {
        var channel = new MediaChannel();
        channel.Publish(MediaVectors.Format720p());
        using var a = channel.Subscribe();
        using var b = channel.Subscribe();
        var payload = new byte[] { 0, 0, 0, 2, 0x65, 0x88 };

        channel.Publish(new VideoAccessUnit(payload, true, 0, 77));

        var fa = Assert.IsType<MediaMessage.Fragment>(Drain(a.Reader)[1]);
        var fb = Assert.IsType<MediaMessage.Fragment>(Drain(b.Reader)[1]);
        Assert.Same(fa, fb);
        Assert.Equal(payload, fa.AccessUnit.ToArray());
        Assert.Equal(77, fa.SenderTimestampNs);
        Assert.Equal(1, channel.FramesPublished);
        Assert.Equal(fa.Data.Length, channel.BytesPublished);
    }

    [Fact]
    public void Subscribe_BeforeFirstKeyframe_DropsUntilKeyframe()
    {
        var channel = new MediaChannel();
        channel.Publish(MediaVectors.Format720p());
        using var viewer = channel.Subscribe();

        channel.Publish(Frame(0, false));
        channel.Publish(Frame(1, true));
        channel.Publish(Frame(2, false));

        var fragments = Drain(viewer.Reader).OfType<MediaMessage.Fragment>().ToList();
        Assert.Equal(2, fragments.Count);
        Assert.True(fragments[0].IsKeyframe);
        Assert.Equal(1, viewer.DroppedFragments);
    }

    [Fact]
    public void Publish_StalledViewer_StaysWithinBoundAndOtherViewerGetsEverything()
    {
        var options = new MediaChannelOptions { MaxQueuedMessages = 16, MaxQueuedBytes = 64 * 1024 };
        var channel = new MediaChannel(options);
        channel.Publish(MediaVectors.Format720p());
        using var stalled = channel.Subscribe();
        using var healthy = channel.Subscribe();
        var received = 0;
        var maxStalledBytes = 0L;

        for (var i = 0; i < 2000; i++)
        {
            channel.Publish(Frame(i, i % 30 == 0, size: 1000));
            received += Drain(healthy.Reader).OfType<MediaMessage.Fragment>().Count();
            maxStalledBytes = Math.Max(maxStalledBytes, stalled.QueuedBytes);
            Assert.True(stalled.QueuedMessages <= options.MaxQueuedMessages + 1, $"{stalled.QueuedMessages} queued");
        }

        Assert.Equal(2000, received);
        Assert.Equal(0, healthy.DroppedFragments);
        Assert.True(maxStalledBytes <= options.MaxQueuedBytes + 2000, $"{maxStalledBytes} bytes queued");
        Assert.True(stalled.DroppedFragments > 1900, $"{stalled.DroppedFragments} dropped");
        Assert.Equal(stalled.DroppedFragments, channel.DroppedFragments);
    }

    [Fact]
    public void Publish_StalledViewerOfA20MbitStream_IsSkippedOnceFourMiBWait()
    {
        // 1080p60 at 20 Mbit/s: about 42 KB a picture, a keyframe every 120; the default limits.
        var options = new MediaChannelOptions();
        var channel = new MediaChannel(options);
        channel.Publish(MediaVectors.Format720p());
        using var stalled = channel.Subscribe();
        var maxStalledBytes = 0L;
        var firstSkipAt = -1;

        for (var i = 0; i < 600; i++)
        {
            channel.Publish(Frame(i, i % 120 == 0, size: 41_700));
            maxStalledBytes = Math.Max(maxStalledBytes, stalled.QueuedBytes);
            if (firstSkipAt < 0 && stalled.Skips > 0)
            {
                firstSkipAt = i;
            }
        }

        Assert.Equal(4L * 1024 * 1024, options.MaxQueuedBytes);
        Assert.InRange(maxStalledBytes, 3L * 1024 * 1024, options.MaxQueuedBytes);
        Assert.InRange(firstSkipAt, 95, 105); // about 1.7 s of pictures, before the 256-message limit
        Assert.True(stalled.DroppedFragments > 300, $"{stalled.DroppedFragments} dropped");
    }

    [Fact]
    public void Publish_ViewerFallsBehind_ResumesAtNextKeyframeWithFormat()
    {
        var options = new MediaChannelOptions { MaxQueuedMessages = 8 };
        var channel = new MediaChannel(options);
        channel.Publish(MediaVectors.Format720p());
        using var viewer = channel.Subscribe();

        PublishFrames(channel, 0, 25, gop: 20);
        var messages = Drain(viewer.Reader);

        // Frames 0..6 (with the format) filled the queue; frame 7 overflowed it, so everything up to
        // frame 19 was dropped; delivery resumed at the keyframe 20, preceded by the dropped format.
        var format = Assert.IsType<MediaMessage.FormatChanged>(messages[0]);
        Assert.Equal(MediaVectors.Format720p().CodecString, format.Format.CodecString);
        var fragments = messages.Skip(1).Cast<MediaMessage.Fragment>().ToList();
        Assert.True(fragments[0].IsKeyframe);
        Assert.Equal(21u, fragments[0].SequenceNumber);
        Assert.Equal(5, fragments.Count);
        Assert.Equal(20, viewer.DroppedFragments);
        Assert.Equal(1, viewer.Skips);
    }

    [Fact]
    public void Publish_FormatChange_DeliveredInOrderAndLateJoinerGetsNewFormat()
    {
        var channel = new MediaChannel();
        channel.Publish(MediaVectors.Format720p());
        using var viewer = channel.Subscribe();
        PublishFrames(channel, 0, 3, gop: 30);
        var next = VideoFormat.FromH264([MediaVectors.Sps640X360], [MediaVectors.Pps]);

        channel.Publish(next);
        channel.Publish(Frame(3, false));
        channel.Publish(Frame(4, true));

        var kinds = Drain(viewer.Reader).Select(m => m switch
        {
            MediaMessage.FormatChanged f => "format" + f.Format.Width,
            MediaMessage.Fragment f => f.IsKeyframe ? "key" : "delta",
            _ => "other",
        });
        Assert.Equal(["format1280", "key", "delta", "delta", "format640", "key"], kinds);
        using var late = channel.Subscribe();
        var lateMessages = Drain(late.Reader);
        Assert.Equal(640, Assert.IsType<MediaMessage.FormatChanged>(lateMessages[0]).Format.Width);
        Assert.Single(lateMessages.OfType<MediaMessage.Fragment>());
    }

    [Fact]
    public async Task Complete_EndsEveryReader()
    {
        var channel = new MediaChannel();
        channel.Publish(MediaVectors.Format720p());
        using var a = channel.Subscribe();
        using var b = channel.Subscribe();
        var reading = Task.Run(async () =>
        {
            var all = new List<MediaMessage>();
            await foreach (var message in a.Reader.ReadAllAsync())
            {
                all.Add(message);
            }

            return all;
        });
        channel.Publish(Frame(0, true));

        channel.Complete("teardown");

        var messages = await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("teardown", Assert.IsType<MediaMessage.Ended>(messages[^1]).Reason);
        Assert.IsType<MediaMessage.Ended>(Drain(b.Reader)[^1]);
        await b.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, channel.ViewerCount);
        using var afterwards = channel.Subscribe();
        Assert.IsType<MediaMessage.Ended>(Drain(afterwards.Reader).Single());
    }

    [Fact]
    public void Dispose_Viewer_Unsubscribes()
    {
        var channel = new MediaChannel();
        var viewer = channel.Subscribe();
        Assert.Equal(1, channel.ViewerCount);

        viewer.Dispose();

        Assert.Equal(0, channel.ViewerCount);
        Assert.True(viewer.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task Publish_ConcurrentReaders_EachSeeAllFragmentsInOrder()
    {
        var channel = new MediaChannel(new MediaChannelOptions { MaxQueuedMessages = 4096 });
        channel.Publish(MediaVectors.Format720p());
        var viewers = Enumerable.Range(0, 4).Select(_ => channel.Subscribe()).ToList();
        var readers = viewers.Select(v => Task.Run(async () =>
        {
            var sequence = new List<uint>();
            await foreach (var message in v.Reader.ReadAllAsync())
            {
                if (message is MediaMessage.Fragment f)
                {
                    sequence.Add(f.SequenceNumber);
                }
            }

            return sequence;
        })).ToList();

        PublishFrames(channel, 0, 1000, gop: 60);
        channel.Complete("done");

        foreach (var sequence in await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.Equal(Enumerable.Range(1, 1000).Select(i => (uint)i), sequence);
        }

        viewers.ForEach(v => v.Dispose());
    }

    [Fact]
    public void AudioOffset_BothTracksPublished_IsAudioMinusVideoOnTheTimeline()
    {
        var channel = new MediaChannel();
        Assert.Null(channel.AudioOffsetMicroseconds);
        channel.Publish(MediaVectors.Format720p());
        PublishFrames(channel, 0, 6, gop: 10);
        channel.Publish(AudioFormat.AacLc44100Stereo);
        Assert.Null(channel.AudioOffsetMicroseconds);

        // The sound of 50 ms arrives while the picture of 83.3 ms (frame 5) is the newest: it trails by 33.3 ms (to
        // within the one sample that placing it on the 44.1 kHz track may round away).
        channel.Publish(new AudioAccessUnit(new byte[8], 50_000_000));
        Assert.InRange(channel.AudioOffsetMicroseconds!.Value, 50_000 - 83_333 - 23, 50_000 - 83_333);

        channel.EndAudio();
        Assert.Null(channel.AudioOffsetMicroseconds);
    }
}
