namespace Receiver.Core.Media;

/// <summary>The audio track and volume of a <see cref="MediaChannel"/>.</summary>
public sealed partial class MediaChannel
{
    /// <summary>Largest difference between an audio frame's place on the sender clock and its running decode time before the audio timeline is moved: 2 frames.</summary>
    public const int AudioResyncThresholdSamples = 2048;

    /// <summary>
    /// Audio behind its running decode time by up to this many samples (2 s) is dropped until it catches up, so that
    /// decode times never go backwards; further behind, the sender clock restarted and the audio carries on where it is.
    /// </summary>
    public const int AudioCatchUpLimitSamples = 88_200;

    /// <summary>
    /// While the session has audio, video follows forward jumps of the sender clock up to a minute (90 kHz ticks): a
    /// static screen sends no pictures while its sound plays on, and both tracks must stay on the one sender timeline.
    /// </summary>
    public const long VideoFollowClockWithAudio = 60 * VideoTimescale.Hz;

    /// <summary>The current audio format message, or null while the session has no audio.</summary>
    public MediaMessage.AudioFormatChanged? CurrentAudioFormat => Volatile.Read(ref _audioFormat);

    /// <summary>Audio frames published and muxed.</summary>
    public long AudioFramesPublished => Interlocked.Read(ref _audioFrames);

    /// <summary>Times the audio timeline was moved to follow the video's mapping of the sender clock.</summary>
    public long AudioResyncs => Interlocked.Read(ref _audioResyncs);

    /// <summary>Audio frames dropped because their place on the timeline was behind audio already published.</summary>
    public long AudioDroppedBehind => Interlocked.Read(ref _audioDroppedBehind);

    /// <summary>Audio frames dropped because they came before the start of the session's timeline.</summary>
    public long AudioDroppedBeforeStart => Interlocked.Read(ref _audioDroppedBeforeStart);

    /// <summary>Audio fragments not delivered, summed over all viewers.</summary>
    public long DroppedAudioFragments => Interlocked.Read(ref _audioDropped);

    /// <summary>
    /// Where the newest audio frame published lies against the newest video frame published, on the session's one
    /// timeline, in microseconds (audio − video; the decode times of both): negative while the sound trails the
    /// picture, as it does by the transcoder's delay. Null until both tracks have published since the last format.
    /// </summary>
    public long? AudioOffsetMicroseconds
    {
        get
        {
            lock (_gate)
            {
                if (!_audioTimeline.Started || _audioFormat is not { } audio || !_muxer.HasStarted)
                {
                    return null;
                }

                var format = audio.Format;
                var audioUs = (_audioTimeline.Next - format.SamplesPerFrame) * 1_000_000 / format.SampleRate;
                return audioUs - VideoTimescale.ToMicroseconds(_muxer.LastDecodeTime);
            }
        }
    }

    /// <summary>
    /// Announces the audio track: AAC-LC in <paramref name="format"/> and, when the session also has it, the same sound
    /// as PCM in <paramref name="pcm"/> for viewers that asked for <see cref="AudioDelivery.Pcm"/>. Viewers that already
    /// play video receive the video format (and resume at the next keyframe) after the audio format, so that an MSE
    /// player can rebuild its MediaSource with both tracks.
    /// </summary>
    public void Publish(AudioFormat format, AudioFormat? pcm = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (pcm is not null && !pcm.IsPcm)
        {
            throw new ArgumentException("The low-delay format must be PCM.", nameof(pcm));
        }

        lock (_gate)
        {
            if (_endReason is not null || (_audioFormat is not null && _audioFormat.Format.Equals(format) && Equals(_pcmFormat?.Format, pcm)))
            {
                return;
            }

            var message = new MediaMessage.AudioFormatChanged(format, Fmp4AudioMuxer.CreateInitSegment(format));
            Volatile.Write(ref _audioFormat, message);
            _pcmFormat = pcm is null ? null : new MediaMessage.AudioFormatChanged(pcm, []);
            _audioTimeline.Restart();
            _pcmTimeline.Restart();
            _muxer.FollowClockUpTo = VideoFollowClockWithAudio;
            foreach (var viewer in _viewers)
            {
                viewer.Enqueue(AudioFormatFor(viewer)!);
                if (_format is not null)
                {
                    viewer.Enqueue(_format);
                    viewer.NeedsFormat = false;
                    viewer.WaitingForKeyframe = true;
                }
            }
        }
    }

    /// <summary>
    /// Ends the audio track: viewers receive <see cref="MediaMessage.AudioEnded"/>, then the video format again (and
    /// resume at the next keyframe), so that an MSE player can rebuild its MediaSource without the audio track.
    /// </summary>
    public void EndAudio()
    {
        lock (_gate)
        {
            if (_endReason is not null || _audioFormat is null)
            {
                return;
            }

            Volatile.Write(ref _audioFormat, null);
            _pcmFormat = null;
            _muxer.FollowClockUpTo = 0;
            var ended = new MediaMessage.AudioEnded();
            foreach (var viewer in _viewers)
            {
                viewer.Enqueue(ended);
                if (_format is not null)
                {
                    viewer.Enqueue(_format);
                    viewer.NeedsFormat = false;
                    viewer.WaitingForKeyframe = true;
                }
            }
        }
    }

    /// <summary>Muxes one audio frame and queues it for every viewer. Frames before the audio format are ignored.</summary>
    public void Publish(in AudioAccessUnit frame)
    {
        lock (_gate)
        {
            if (_endReason is null && _audioFormat is { } format)
            {
                PublishAudio(frame, format.Format);
            }
        }
    }

    /// <summary>
    /// Queues one PCM frame (<see cref="AudioAccessUnit.Payload"/>: interleaved 16-bit samples of the announced PCM
    /// format) for every viewer that receives PCM, on the same timeline as the AAC track. Unlike AAC frames the
    /// payload is not copied: it is handed over, shared by the viewers, and must not be modified afterwards. Frames
    /// while the session has no PCM format are ignored.
    /// </summary>
    public void PublishPcm(in AudioAccessUnit frame)
    {
        lock (_gate)
        {
            if (_endReason is null && _pcmFormat is { } format)
            {
                PublishPcm(frame, format.Format);
            }
        }
    }

    /// <summary>Sends the sender's volume (dB) to every viewer, and to viewers that join later.</summary>
    public void PublishVolume(double decibels)
    {
        lock (_gate)
        {
            if (_endReason is not null)
            {
                return;
            }

            _volume = new MediaMessage.Volume(decibels);
            foreach (var viewer in _viewers)
            {
                viewer.Enqueue(_volume);
            }
        }
    }

    /// <summary>The audio format message a viewer is to receive, or null while the session has no audio.</summary>
    private MediaMessage.AudioFormatChanged? AudioFormatFor(MediaViewer viewer) =>
        viewer.Audio == AudioDelivery.Pcm && _pcmFormat is not null ? _pcmFormat : _audioFormat;

    private bool ReceivesPcm(MediaViewer viewer) => viewer.Audio == AudioDelivery.Pcm && _pcmFormat is not null;

    private void PublishAudio(in AudioAccessUnit frame, AudioFormat format)
    {
        _originNs ??= frame.SenderTimestampNanoseconds;
        var offset = _videoOffsetNs ?? _originNs.Value;
        switch (_audioTimeline.Place(frame.SenderTimestampNanoseconds, offset, format, out var decodeTime))
        {
            case AudioPlacement.BeforeStart:
                Interlocked.Increment(ref _audioDroppedBeforeStart);
                return;
            case AudioPlacement.Behind:
                Interlocked.Increment(ref _audioDroppedBehind);
                return;
            case AudioPlacement.Resynced:
                Interlocked.Increment(ref _audioResyncs);
                break;
        }

        var data = _audioMuxer.CreateFragment(frame.Payload.Span, decodeTime, format.SamplesPerFrame);
        var fragment = new MediaMessage.AudioFragment(
            data,
            frame.SenderTimestampNanoseconds,
            decodeTime,
            format.SampleRate,
            _audioMuxer.SequenceNumber,
            data.Length - frame.Payload.Length,
            frame.ReceivedAtTicks);
        Interlocked.Increment(ref _audioFrames);
        foreach (var viewer in _viewers)
        {
            if (ReceivesPcm(viewer))
            {
                continue;
            }

            if (viewer.Fits(fragment, _options))
            {
                viewer.Enqueue(fragment);
            }
            else
            {
                Interlocked.Increment(ref _audioDropped);
            }
        }
    }

    private void PublishPcm(in AudioAccessUnit frame, AudioFormat format)
    {
        // The PCM follows the timeline that pictures and AAC frames start; it leaves the decoder ≈ 60 ms before the
        // AAC of the same instant, and must not move where a recording begins.
        if ((_videoOffsetNs ?? _originNs) is not { } offset)
        {
            return;
        }

        var placement = _pcmTimeline.Place(frame.SenderTimestampNanoseconds, offset, format, out var decodeTime);
        if (placement is AudioPlacement.BeforeStart or AudioPlacement.Behind)
        {
            return;
        }

        var samples = new MediaMessage.AudioSamples(frame.Payload, frame.SenderTimestampNanoseconds, decodeTime, format.SampleRate, ++_pcmSequence, frame.ReceivedAtTicks);
        foreach (var viewer in _viewers)
        {
            if (!ReceivesPcm(viewer))
            {
                continue;
            }

            if (viewer.Fits(samples, _options))
            {
                viewer.Enqueue(samples);
            }
            else
            {
                Interlocked.Increment(ref _audioDropped);
            }
        }
    }
}
