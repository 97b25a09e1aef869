namespace Receiver.Core.Audio;

/// <summary>
/// Maps RTP timestamps of an audio stream to the session's sender timeline from its latest sync packet:
/// <c>ns = sync_ns + (t − sync_rtp)·10⁹/rate</c>, with the RTP difference taken as a signed 32-bit number. The sync
/// packet's sender time is placed on the timeline by the session's <see cref="Timing.SenderClock"/>.
/// </summary>
public sealed class AudioClock(int sampleRate = 44100)
{
    private long _syncNanoseconds;
    private uint _syncRtp;
    private int _hasSync;

    public bool HasSync => Volatile.Read(ref _hasSync) != 0;

    public int SampleRate { get; } = sampleRate;

    /// <summary>Sync packets applied.</summary>
    public long SyncCount { get; private set; }

    /// <summary>RTP time <paramref name="rtp"/> is at <paramref name="senderNanoseconds"/> on the session's sender timeline.</summary>
    public void Update(uint rtp, long senderNanoseconds)
    {
        _syncRtp = rtp;
        _syncNanoseconds = senderNanoseconds;
        SyncCount++;
        Volatile.Write(ref _hasSync, 1);
    }

    /// <summary>The time of RTP time <paramref name="rtp"/> on the session's sender timeline (nanoseconds).</summary>
    public long ToSenderNanoseconds(uint rtp)
    {
        if (!HasSync)
        {
            throw new InvalidOperationException("No sync packet has arrived yet.");
        }

        var samples = unchecked((int)(rtp - _syncRtp));
        return _syncNanoseconds + (long)((Int128)samples * 1_000_000_000 / SampleRate);
    }
}
