using Receiver.Core.Media;
using Receiver.Core.Tests.Media;

namespace Receiver.Core.Tests.Audio;

public sealed class MediaChannelAudioTests
{
    private const long SenderStartNs = 3_900_000_000L * 1_000_000_000L;

    private static VideoFormat Format => VideoFormat.FromH264([MediaVectors.Sps640X360], [MediaVectors.Pps]);

    private static VideoAccessUnit Picture(long senderNs, bool keyframe) =>
        new(new byte[] { 0, 0, 0, 1, 0x65 }, keyframe, (long)((Int128)senderNs * 9 / 100_000), senderNs);

    private static AudioAccessUnit Sound(long senderNs) => new(new byte[] { 0x21, 0x10 }, senderNs);

    private static long SamplesToNs(long samples) => samples * 1_000_000_000L / 44100;

    [Fact]
    public void Publish_AudioBeforeVideo_VideoStartsOnTheAudioTimeline()
    {
        var channel = new MediaChannel();
        using var viewer = channel.Subscribe();
        channel.Publish(AudioFormat.AacLc44100Stereo);
        for (var i = 0; i < 50; i++)
        {
            channel.Publish(Sound(SenderStartNs + SamplesToNs(i * 1024L)));
        }

        channel.Publish(Format);
        channel.Publish(Picture(SenderStartNs + 500_000_000, keyframe: true));
        var messages = Drain(viewer);
        var audio = messages.OfType<MediaMessage.AudioFragment>().ToList();
        var video = messages.OfType<MediaMessage.Fragment>().Single();
        Assert.Equal(50, audio.Count);
        Assert.Equal(0, audio[0].DecodeTime);
        Assert.Equal(49 * 1024, audio[^1].DecodeTime);
        Assert.Equal(45_000, video.DecodeTime90k);
        Assert.IsType<MediaMessage.AudioFormatChanged>(messages[0]);
    }

    [Fact]
    public void Publish_VideoBeforeAudio_AudioPlacedAtItsSenderTime()
    {
        var channel = new MediaChannel();
        channel.Publish(Format);
        for (var i = 0; i < 30; i++)
        {
            channel.Publish(Picture(SenderStartNs + (i * 33_333_333L), keyframe: i == 0));
        }

        using var viewer = channel.Subscribe();
        channel.Publish(AudioFormat.AacLc44100Stereo);
        channel.Publish(Sound(SenderStartNs + 1_000_000_000));
        var messages = Drain(viewer);
        var audio = messages.OfType<MediaMessage.AudioFragment>().Single();
        Assert.InRange(audio.DecodeTime, 44099, 44101);

        // The late audio start re-sends the video format so that an MSE player can add the audio track.
        var order = messages.Select(m => m.GetType().Name).ToList();
        Assert.True(order.IndexOf(nameof(MediaMessage.AudioFormatChanged)) < order.LastIndexOf(nameof(MediaMessage.FormatChanged)));
    }

    [Fact]
    public void Publish_SmallJitterOnSenderClock_AudioStaysContinuous()
    {
        var channel = new MediaChannel();
        using var viewer = channel.Subscribe();
        channel.Publish(AudioFormat.AacLc44100Stereo);
        var random = new Random(3);
        for (var i = 0; i < 100; i++)
        {
            channel.Publish(Sound(SenderStartNs + SamplesToNs(i * 1024L) + random.Next(-5_000_000, 5_000_000)));
        }

        var audio = Drain(viewer).OfType<MediaMessage.AudioFragment>().ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 1024L), audio.Select(a => a.DecodeTime));
        Assert.Equal(0, channel.AudioResyncs);
    }

    [Fact]
    public void Publish_SenderClockJump_AudioResyncs()
    {
        var channel = new MediaChannel();
        using var viewer = channel.Subscribe();
        channel.Publish(AudioFormat.AacLc44100Stereo);
        channel.Publish(Sound(SenderStartNs));
        channel.Publish(Sound(SenderStartNs + 2_000_000_000));
        var audio = Drain(viewer).OfType<MediaMessage.AudioFragment>().ToList();
        Assert.InRange(audio[1].DecodeTime, 88199, 88201);
        Assert.Equal(1, channel.AudioResyncs);
    }

    [Fact]
    public void Publish_StaticScreenForFiveSecondsWhileSoundPlays_VideoFollowsTheClockAndSoundStaysContinuous()
    {
        var channel = new MediaChannel();
        using var viewer = channel.Subscribe();
        channel.Publish(AudioFormat.AacLc44100Stereo);
        channel.Publish(Format);
        var frames = 0;
        var messages = new List<MediaMessage>();
        for (var i = 0; i < 8 * 44100 / 1024; i++)
        {
            var audioNs = SenderStartNs + SamplesToNs(i * 1024L);
            // Pictures for the first second and again from the sixth: the screen was still in between.
            while (SenderStartNs + (frames * 33_333_333L) <= audioNs)
            {
                var videoNs = SenderStartNs + (frames * 33_333_333L);
                if (videoNs < SenderStartNs + 1_000_000_000 || videoNs >= SenderStartNs + 6_000_000_000)
                {
                    channel.Publish(Picture(videoNs, keyframe: frames == 0));
                }

                frames++;
            }

            channel.Publish(Sound(audioNs));
            messages.AddRange(Drain(viewer));
        }

        var audio = messages.OfType<MediaMessage.AudioFragment>().ToList();
        var video = messages.OfType<MediaMessage.Fragment>().ToList();
        Assert.Equal(Enumerable.Range(0, audio.Count).Select(i => i * 1024L), audio.Select(a => a.DecodeTime));
        var afterGap = video.First(v => v.SenderTimestampNs >= SenderStartNs + 6_000_000_000);
        var expected = (afterGap.SenderTimestampNs - SenderStartNs) * 9 / 100_000;
        Assert.InRange(afterGap.DecodeTime90k, expected - 1, expected + 1);
        Assert.Equal(0, channel.AudioResyncs);
    }

    [Fact]
    public void Publish_TimelineMovesBackUnderTheSound_DecodeTimesNeverGoBack()
    {
        var channel = new MediaChannel();
        using var viewer = channel.Subscribe();
        channel.Publish(AudioFormat.AacLc44100Stereo);
        for (var i = 0; i < 40; i++)
        {
            channel.Publish(Sound(SenderStartNs + SamplesToNs(i * 1024L)));
        }

        // The sender's sound steps half a second back (a new sync point that disagrees with the last one).
        for (var i = 0; i < 60; i++)
        {
            channel.Publish(Sound(SenderStartNs + SamplesToNs((40 + i) * 1024L) - 500_000_000));
        }

        var audio = Drain(viewer).OfType<MediaMessage.AudioFragment>().ToList();
        for (var i = 1; i < audio.Count; i++)
        {
            Assert.True(audio[i].DecodeTime > audio[i - 1].DecodeTime, $"frame {i}: {audio[i - 1].DecodeTime} → {audio[i].DecodeTime}");
        }

        Assert.InRange(channel.AudioDroppedBehind, 20, 23);
    }

    [Fact]
    public void EndAudio_Viewers_ReceiveAudioEndedThenVideoFormat()
    {
        var channel = new MediaChannel();
        channel.Publish(AudioFormat.AacLc44100Stereo);
        channel.Publish(Format);
        channel.PublishVolume(-12.5);
        using var viewer = channel.Subscribe();
        var joined = Drain(viewer);
        Assert.Equal([typeof(MediaMessage.Volume), typeof(MediaMessage.AudioFormatChanged), typeof(MediaMessage.FormatChanged)], joined.Select(m => m.GetType()));
        Assert.Equal(-12.5, ((MediaMessage.Volume)joined[0]).Decibels);

        channel.EndAudio();
        channel.Publish(Sound(SenderStartNs));
        var after = Drain(viewer);
        Assert.Equal([typeof(MediaMessage.AudioEnded), typeof(MediaMessage.FormatChanged)], after.Select(m => m.GetType()));
        Assert.Null(channel.CurrentAudioFormat);
    }

    [Fact]
    public void CreateFragment_OneFrame_MoofAndMdatLayout()
    {
        var muxer = new Fmp4AudioMuxer();
        var fragment = muxer.CreateFragment([1, 2, 3], 4096, 1024);
        Assert.Equal(Fmp4AudioMuxer.GetFragmentLength(3), fragment.Length);
        Assert.Equal("moof"u8.ToArray(), fragment[4..8]);
        Assert.Equal("mdat"u8.ToArray(), fragment[(Fmp4AudioMuxer.MoofLength + 4)..(Fmp4AudioMuxer.MoofLength + 8)]);
        Assert.Equal(new byte[] { 1, 2, 3 }, fragment[^3..]);
        Assert.Equal(4096UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(fragment.AsSpan(60)));
        Assert.Equal(1u, muxer.SequenceNumber);
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
