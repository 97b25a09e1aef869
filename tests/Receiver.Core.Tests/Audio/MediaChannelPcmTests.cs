using Receiver.Core.Media;
using Receiver.Core.Tests.Media;

namespace Receiver.Core.Tests.Audio;

/// <summary>The channel's low-delay sound: PCM frames for viewers that asked for them, on the AAC track's timeline.</summary>
public sealed class MediaChannelPcmTests
{
    private const long SenderStartNs = 3_900_000_000L * 1_000_000_000L;

    private static readonly AudioFormat Pcm = AudioFormat.Pcm16(44100, 2, 480);

    private static VideoFormat Format => VideoFormat.FromH264([MediaVectors.Sps640X360], [MediaVectors.Pps]);

    private static VideoAccessUnit Picture(long senderNs, bool keyframe) =>
        new(new byte[] { 0, 0, 0, 1, 0x65 }, keyframe, (long)((Int128)senderNs * 9 / 100_000), senderNs);

    private static AudioAccessUnit Aac(long senderNs) => new(new byte[] { 0x21, 0x10 }, senderNs);

    private static AudioAccessUnit Samples(long senderNs, byte fill = 0) => new(Enumerable.Repeat(fill, 480 * 4).ToArray(), senderNs);

    private static long SamplesToNs(long samples) => samples * 1_000_000_000L / 44100;

    [Fact]
    public void Subscribe_ByAudioDelivery_EachViewerGetsItsFormAndOnlyIt()
    {
        var channel = new MediaChannel();
        using var mse = channel.Subscribe();
        using var webCodecs = channel.Subscribe(AudioDelivery.Pcm);
        channel.Publish(AudioFormat.AacLc44100Stereo, Pcm);
        for (var i = 0; i < 20; i++)
        {
            if (i % 2 == 0)
            {
                channel.Publish(Aac(SenderStartNs + SamplesToNs(i * 480L)));
            }

            channel.PublishPcm(Samples(SenderStartNs + SamplesToNs(i * 480L)));
        }

        var aacMessages = Drain(mse);
        var pcmMessages = Drain(webCodecs);
        Assert.Equal(AudioFormat.AacLc44100Stereo, Assert.IsType<MediaMessage.AudioFormatChanged>(aacMessages[0]).Format);
        Assert.Equal(Pcm, Assert.IsType<MediaMessage.AudioFormatChanged>(pcmMessages[0]).Format);
        Assert.Equal(10, aacMessages.OfType<MediaMessage.AudioFragment>().Count());
        Assert.Empty(aacMessages.OfType<MediaMessage.AudioSamples>());
        Assert.Equal(20, pcmMessages.OfType<MediaMessage.AudioSamples>().Count());
        Assert.Empty(pcmMessages.OfType<MediaMessage.AudioFragment>());

        // A late joiner is announced the same forms.
        using var late = channel.Subscribe(AudioDelivery.Pcm);
        Assert.Equal(Pcm, Drain(late).OfType<MediaMessage.AudioFormatChanged>().Single().Format);
    }

    [Fact]
    public void PublishPcm_SessionWithoutPcm_PcmViewerFallsBackToAac()
    {
        var channel = new MediaChannel();
        using var viewer = channel.Subscribe(AudioDelivery.Pcm);
        channel.Publish(AudioFormat.AacLc44100Stereo);
        channel.Publish(Aac(SenderStartNs));
        channel.PublishPcm(Samples(SenderStartNs));
        var messages = Drain(viewer);
        Assert.Equal(AudioFormat.AacLc44100Stereo, messages.OfType<MediaMessage.AudioFormatChanged>().Single().Format);
        Assert.Single(messages.OfType<MediaMessage.AudioFragment>());
        Assert.Empty(messages.OfType<MediaMessage.AudioSamples>());
    }

    [Fact]
    public void PublishPcm_SenderFrames_DecodeTimesRunOnFrameByFrameAndPayloadIsShared()
    {
        var channel = new MediaChannel();
        using var a = channel.Subscribe(AudioDelivery.Pcm);
        using var b = channel.Subscribe(AudioDelivery.Pcm);
        channel.Publish(AudioFormat.AacLc44100Stereo, Pcm);
        channel.Publish(Aac(SenderStartNs - 5_000_000));
        var random = new Random(5);
        for (var i = 0; i < 100; i++)
        {
            // The sender clock jitters by up to ±2 ms; the samples still follow each other without a gap.
            channel.PublishPcm(Samples(SenderStartNs + SamplesToNs(i * 480L) + random.Next(-2_000_000, 2_000_000), (byte)i));
        }

        var first = Drain(a).OfType<MediaMessage.AudioSamples>().ToList();
        var second = Drain(b).OfType<MediaMessage.AudioSamples>().ToList();
        var start = first[0].DecodeTime;
        Assert.InRange(start, 220 - 90, 220 + 90);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => start + (i * 480L)), first.Select(s => s.DecodeTime));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (uint)i), first.Select(s => s.SequenceNumber));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (uint)i), second.Select(s => s.SequenceNumber));
        Assert.All(first, s => Assert.Equal(480 * 4, s.Data.Length));
        Assert.Equal(99, first[99].Data.Span[0]);
        Assert.True(first[7].Data.Equals(second[7].Data), "one payload for all viewers");
        Assert.Equal((start + (99 * 480L)) * 1_000_000 / 44100, first[99].DecodeTimeMicroseconds);
    }

    [Fact]
    public void PublishPcm_WithVideo_SamplesSitOnTheSameTimelineAsAacAndVideo()
    {
        // The PCM leaves the decoder ≈ 60 ms before the AAC of the same instant leaves the encoder; both are placed by
        // their sender time, so one media instant has one timestamp in every track.
        var channel = new MediaChannel();
        using var mse = channel.Subscribe();
        using var webCodecs = channel.Subscribe(AudioDelivery.Pcm);
        channel.Publish(Format);
        for (var i = 0; i < 30; i++)
        {
            channel.Publish(Picture(SenderStartNs + (i * 33_333_333L), keyframe: i == 0));
        }

        channel.Publish(AudioFormat.AacLc44100Stereo, Pcm);
        var soundStart = SenderStartNs + 500_000_000;
        for (var i = 0; i < 30; i++)
        {
            channel.PublishPcm(Samples(soundStart + SamplesToNs(i * 480L)));
        }

        for (var i = 0; i < 14; i++)
        {
            channel.Publish(Aac(soundStart + SamplesToNs(i * 1024L)));
        }

        var pcm = Drain(webCodecs).OfType<MediaMessage.AudioSamples>().ToList();
        var aac = Drain(mse).OfType<MediaMessage.AudioFragment>().ToList();
        Assert.InRange(pcm[0].DecodeTimeMicroseconds, 499_970, 500_030);
        Assert.Equal(aac[0].DecodeTimeMicroseconds, pcm[0].DecodeTimeMicroseconds);

        // 1,024 samples in, the AAC frame and the PCM sample at the same instant carry the same time.
        var aacAt = aac[1].DecodeTime;
        Assert.Equal(1024, aacAt - aac[0].DecodeTime);
        Assert.Equal(pcm[0].DecodeTime + (2 * 480), pcm[2].DecodeTime);

        // Sound from before the timeline's first picture is dropped in both forms, and PCM never starts the timeline.
        var empty = new MediaChannel();
        using var alone = empty.Subscribe(AudioDelivery.Pcm);
        empty.Publish(AudioFormat.AacLc44100Stereo, Pcm);
        empty.PublishPcm(Samples(SenderStartNs));
        Assert.Empty(Drain(alone).OfType<MediaMessage.AudioSamples>());
        channel.PublishPcm(Samples(SenderStartNs - 1_000_000_000));
        Assert.Empty(Drain(webCodecs).OfType<MediaMessage.AudioSamples>());
    }

    [Fact]
    public void Publish_PcmFormatThatIsNotPcm_Throws()
    {
        var channel = new MediaChannel();
        Assert.Throws<ArgumentException>(() => channel.Publish(AudioFormat.AacLc44100Stereo, AudioFormat.AacLc44100Stereo));
    }

    [Fact]
    public void Subscribe_MidGop_ViewerKnowsHowManyPicturesAreBacklog()
    {
        var channel = new MediaChannel();
        channel.Publish(Format);
        for (var i = 0; i < 12; i++)
        {
            channel.Publish(Picture(SenderStartNs + (i * 16_666_667L), keyframe: i == 0));
        }

        using var viewer = channel.Subscribe(AudioDelivery.Pcm);
        channel.Publish(Picture(SenderStartNs + (12 * 16_666_667L), keyframe: false));
        Assert.Equal(12, viewer.BacklogFragments);
        Assert.Equal(13, Drain(viewer).OfType<MediaMessage.Fragment>().Count());

        using var early = new MediaChannel().Subscribe();
        Assert.Equal(0, early.BacklogFragments);
    }

    private static List<MediaMessage> Drain(MediaViewer viewer)
    {
        var messages = new List<MediaMessage>();
        while (viewer.Reader.TryRead(out var message))
        {
            messages.Add(message);
        }

        return messages;
    }
}
