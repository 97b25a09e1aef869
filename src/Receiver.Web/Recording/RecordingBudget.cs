namespace Receiver.Web.Recording;

/// <summary>
/// What one recording may still write: at most <see cref="MaxBytes"/> over all its files, and never so much that the
/// volume's free space falls below <see cref="MinFreeBytes"/>. The volume is asked again at least every
/// <see cref="RecheckInterval"/> and every <see cref="RecheckBytes"/> written, and at once when the estimate (the
/// last answer less what this recording wrote since) says a fragment would cross the floor; between asks other
/// writers (other recordings) can take at most what they write in that time.
/// </summary>
public sealed class RecordingBudget
{
    /// <summary>Longest the recorder trusts an answer about the volume's free space.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Most bytes the recorder writes before it asks about the volume again.</summary>
    public const long RecheckBytes = 1024 * 1024;

    private readonly IVolumeFreeSpace _space;
    private readonly string _directory;
    private readonly TimeProvider _time;
    private long _written;
    private long _available;
    private long _writtenAtCheck;
    private long _checkedAt;
    private bool _checked;

    public RecordingBudget(long maxBytes, long minFreeBytes, IVolumeFreeSpace space, string directory, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(minFreeBytes);
        MaxBytes = maxBytes;
        MinFreeBytes = minFreeBytes;
        _space = space;
        _directory = directory;
        _time = time;
    }

    public long MaxBytes { get; }

    /// <summary>The volume's floor; 0 = none (a full volume then shows as a failed write).</summary>
    public long MinFreeBytes { get; }

    /// <summary>Bytes written so far, as reported through <see cref="Written"/>.</summary>
    public long WrittenBytes => _written;

    /// <summary>The volume's free bytes at the last ask, or null before the first.</summary>
    public long? LastAvailableBytes => _checked ? _available : null;

    /// <summary>
    /// Null when <paramref name="bytes"/> more may be written; otherwise why not (<see cref="RecordingStopReason.MaxBytes"/>
    /// or <see cref="RecordingStopReason.DiskFull"/>). Throws <see cref="IOException"/> when the volume cannot be asked.
    /// </summary>
    public RecordingStopReason? Admit(long bytes)
    {
        if (_written + bytes > MaxBytes)
        {
            return RecordingStopReason.MaxBytes;
        }

        if (MinFreeBytes == 0)
        {
            return null;
        }

        var sinceCheck = _written - _writtenAtCheck;
        var stale = !_checked || sinceCheck >= RecheckBytes || _time.GetElapsedTime(_checkedAt) >= RecheckInterval;
        if (stale || _available - sinceCheck - bytes < MinFreeBytes)
        {
            Ask();
            sinceCheck = 0;
        }

        return _available - sinceCheck - bytes < MinFreeBytes ? RecordingStopReason.DiskFull : null;
    }

    /// <summary>Counts bytes that reached the file.</summary>
    public void Written(long bytes) => _written += bytes;

    /// <summary>Gives back bytes that were removed again (a part cut back or deleted after a failed write).</summary>
    public void Removed(long bytes) => _written -= bytes;

    private void Ask()
    {
        _available = _space.AvailableBytes(_directory);
        _writtenAtCheck = _written;
        _checkedAt = _time.GetTimestamp();
        _checked = true;
    }
}
