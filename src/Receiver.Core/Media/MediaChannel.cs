namespace Receiver.Core.Media;

/// <summary>
/// Fans one session's video out to its viewers. Each access unit is muxed once into a fragment that all viewers
/// share: a pooled buffer whose header the muxer writes in front of the access unit, returned to its
/// <see cref="FragmentPool"/> when its last holder (viewer queues, readers, the GOP cache) releases it. The
/// fragments since the last keyframe (the current GOP) are kept so that a viewer joining late receives the init
/// segment and a decodable GOP at once. Each viewer has a bounded queue: a
/// viewer that falls behind is skipped to the next keyframe, so the publisher never blocks and memory stays
/// bounded. Audio (if the session has it) is a second fMP4 stream on the same timeline: the video timeline
/// starts at the first media of either kind, and each audio frame's decode time follows the video's mapping of
/// the sender clock, so that both play in sync. Audio fragments are delivered to every viewer whose queue has
/// room and are dropped otherwise (there is no keyframe to wait for).
/// Thread-safe: one publisher per kind, any number of subscribers and readers.
/// </summary>
public sealed partial class MediaChannel
{
    private readonly Lock _gate = new();
    private readonly MediaChannelOptions _options;
    private readonly Fmp4Muxer _muxer;
    private readonly FragmentPool _pool;
    private readonly List<MediaViewer> _viewers = [];
    private readonly List<MediaMessage.Fragment> _gop = [];
    private MediaMessage.FormatChanged? _format;
    private long _gopBytes;
    private long _nextViewerId;
    private string? _endReason;
    private long _frames;
    private long _bytes;
    private long _dropped;

    private readonly Fmp4AudioMuxer _audioMuxer = new();
    private readonly AudioTrackTimeline _audioTimeline = new();
    private readonly AudioTrackTimeline _pcmTimeline = new();
    private MediaMessage.AudioFormatChanged? _audioFormat;
    private MediaMessage.AudioFormatChanged? _pcmFormat;
    private uint _pcmSequence;
    private MediaMessage.Volume? _volume;
    private long? _originNs;
    private long? _videoOffsetNs;
    private long _audioFrames;
    private long _audioResyncs;
    private long _audioDroppedBeforeStart;
    private long _audioDroppedBehind;
    private long _audioDropped;

    public MediaChannel(MediaChannelOptions? options = null)
    {
        _options = options ?? new MediaChannelOptions();
        _muxer = new Fmp4Muxer(_options.WriteProducerReferenceTime);
        _pool = _options.FragmentPool ?? FragmentPool.Shared;
    }

    public int ViewerCount
    {
        get
        {
            lock (_gate)
            {
                return _viewers.Count;
            }
        }
    }

    /// <summary>The current format message, or null before the first format.</summary>
    public MediaMessage.FormatChanged? CurrentFormat => Volatile.Read(ref _format);

    /// <summary>Access units published and muxed.</summary>
    public long FramesPublished => Interlocked.Read(ref _frames);

    /// <summary>Bytes of fragments produced (each counted once, however many viewers).</summary>
    public long BytesPublished => Interlocked.Read(ref _bytes);

    /// <summary>Fragments not delivered, summed over all viewers.</summary>
    public long DroppedFragments => Interlocked.Read(ref _dropped);

    /// <summary>True after <see cref="Complete"/>.</summary>
    public bool IsCompleted => Volatile.Read(ref _endReason) is not null;

    /// <summary>Announces a new format: every viewer receives its init segment, then fragments from the next keyframe.</summary>
    public void Publish(VideoFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var message = new MediaMessage.FormatChanged(format, _muxer.CreateInitSegment(format));
        lock (_gate)
        {
            if (_endReason is not null)
            {
                return;
            }

            Volatile.Write(ref _format, message);
            ClearGop();
            foreach (var viewer in _viewers)
            {
                viewer.Enqueue(message);
                viewer.NeedsFormat = false;
                viewer.WaitingForKeyframe = true;
            }
        }
    }

    /// <summary>
    /// Muxes one access unit and queues it for every viewer. The payload is copied before this returns.
    /// Access units before the first format are ignored.
    /// </summary>
    public void Publish(in VideoAccessUnit au)
    {
        var fragment = RentFragment(au.Payload.Length);
        au.Payload.Span.CopyTo(fragment.WritablePayload);
        Publish(fragment, au.IsKeyframe, au.PresentationTime90k, au.SenderTimestampNanoseconds, au.ReceivedAtTicks);
    }

    /// <summary>
    /// A fragment from the channel's pool for an access unit of <paramref name="payloadLength"/> bytes, held by the
    /// caller, who writes the access unit into <see cref="MediaMessage.Fragment.WritablePayload"/> (decrypting straight
    /// into it) and then hands it to <see cref="Publish(MediaMessage.Fragment, bool, long, long, long)"/> or releases it.
    /// </summary>
    internal MediaMessage.Fragment RentFragment(int payloadLength) => _pool.Rent(_muxer.GetFragmentLength(0), payloadLength);

    /// <summary>
    /// Writes the fragment's header in front of the access unit already in it and queues it for every viewer. Takes
    /// over the caller's hold: the caller must not touch the fragment afterwards. Ignored before the first format.
    /// </summary>
    internal void Publish(MediaMessage.Fragment fragment, bool isKeyframe, long presentationTime90k, long senderTimestampNs, long receivedAtTicks)
    {
        try
        {
            lock (_gate)
            {
                if (_endReason is not null || _format is null)
                {
                    return;
                }

                if (!_muxer.HasStarted && _originNs is { } origin)
                {
                    _muxer.InitialDecodeTime = Math.Max(0, presentationTime90k - VideoTimescale.FromNanoseconds(origin));
                }

                _originNs ??= senderTimestampNs;
                var au = new VideoAccessUnit(fragment.AccessUnit, isKeyframe, presentationTime90k, senderTimestampNs, receivedAtTicks);
                _muxer.WriteFragmentHeader(au, -1, fragment.WritableHeader);
                _videoOffsetNs = senderTimestampNs - (_muxer.LastDecodeTime * 100_000 / 9);
                fragment.Describe(isKeyframe, senderTimestampNs, presentationTime90k, _muxer.LastDecodeTime, _muxer.SequenceNumber, receivedAtTicks);
                Interlocked.Increment(ref _frames);
                Interlocked.Add(ref _bytes, fragment.Length);
                RememberInGop(fragment);
                foreach (var viewer in _viewers)
                {
                    Deliver(viewer, fragment);
                }
            }
        }
        finally
        {
            fragment.Release();
        }
    }

    /// <summary>Adds a viewer; it receives the current format and GOP (if any) at once, and the sound as <paramref name="audio"/> asks.</summary>
    public MediaViewer Subscribe(AudioDelivery audio = AudioDelivery.Aac)
    {
        lock (_gate)
        {
            var viewer = new MediaViewer(this, ++_nextViewerId, audio);
            if (_endReason is not null)
            {
                viewer.Enqueue(new MediaMessage.Ended(_endReason));
                viewer.Complete();
                return viewer;
            }

            if (_volume is not null)
            {
                viewer.Enqueue(_volume);
            }

            if (AudioFormatFor(viewer) is { } audioFormat)
            {
                viewer.Enqueue(audioFormat);
            }

            if (_format is not null)
            {
                viewer.Enqueue(_format);
                if (_gop.Count > 0 && _gopBytes + _format.Length <= _options.MaxQueuedBytes && _gop.Count < _options.MaxQueuedMessages)
                {
                    foreach (var fragment in _gop)
                    {
                        viewer.Enqueue(fragment);
                    }

                    viewer.BacklogFragments = _gop.Count;

                    viewer.WaitingForKeyframe = false;
                }
            }

            _viewers.Add(viewer);
            return viewer;
        }
    }

    /// <summary>Ends the stream: every viewer receives <see cref="MediaMessage.Ended"/> and its reader completes.</summary>
    public void Complete(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (_gate)
        {
            if (_endReason is not null)
            {
                return;
            }

            Volatile.Write(ref _endReason, reason);
            var ended = new MediaMessage.Ended(reason);
            foreach (var viewer in _viewers)
            {
                viewer.Enqueue(ended);
                viewer.Complete();
            }

            _viewers.Clear();
            ClearGop();
        }
    }

    internal void Unsubscribe(MediaViewer viewer)
    {
        lock (_gate)
        {
            _viewers.Remove(viewer);
        }
    }

    private void Deliver(MediaViewer viewer, MediaMessage.Fragment fragment)
    {
        if (viewer.WaitingForKeyframe && !fragment.IsKeyframe)
        {
            Drop(viewer, 1);
            return;
        }

        if (!viewer.Fits(fragment, _options))
        {
            var (drained, formatDrained) = viewer.DrainQueue();
            Drop(viewer, drained);
            viewer.NeedsFormat |= formatDrained;
            viewer.WaitingForKeyframe = true;
            if (!fragment.IsKeyframe)
            {
                Drop(viewer, 1);
                return;
            }
        }

        if (viewer.WaitingForKeyframe && viewer.NeedsFormat && _format is not null)
        {
            viewer.Enqueue(_format);
        }

        viewer.NeedsFormat = false;
        viewer.WaitingForKeyframe = false;
        viewer.Enqueue(fragment);
    }

    private void Drop(MediaViewer viewer, long count)
    {
        if (count > 0)
        {
            viewer.CountDropped(count);
            Interlocked.Add(ref _dropped, count);
        }
    }

    private void RememberInGop(MediaMessage.Fragment fragment)
    {
        if (fragment.IsKeyframe)
        {
            ClearGop();
        }
        else if (_gop.Count == 0)
        {
            return;
        }

        if (_gopBytes + fragment.Length > _options.MaxGopBytes)
        {
            ClearGop();
            return;
        }

        fragment.Hold();
        _gop.Add(fragment);
        _gopBytes += fragment.Length;
    }

    private void ClearGop()
    {
        foreach (var fragment in _gop)
        {
            fragment.Release();
        }

        _gop.Clear();
        _gopBytes = 0;
    }
}
