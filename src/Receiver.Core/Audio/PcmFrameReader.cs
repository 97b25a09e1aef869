namespace Receiver.Core.Audio;

/// <summary>
/// Splits a stream of interleaved 16-bit PCM that arrives in arbitrary chunks into frames of a fixed number of
/// samples per channel. Each frame is returned in an array of its own (it is shared by every viewer that plays it);
/// nothing else is allocated after construction. Not thread-safe.
/// </summary>
public sealed class PcmFrameReader
{
    private readonly byte[] _partial;
    private int _held;

    /// <param name="samplesPerFrame">Samples per channel in one frame.</param>
    /// <param name="channels">Interleaved channels.</param>
    public PcmFrameReader(int samplesPerFrame, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerFrame);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        SamplesPerFrame = samplesPerFrame;
        FrameLength = samplesPerFrame * channels * sizeof(short);
        _partial = new byte[FrameLength];
    }

    /// <summary>Samples per channel in one frame.</summary>
    public int SamplesPerFrame { get; }

    /// <summary>Bytes in one frame.</summary>
    public int FrameLength { get; }

    /// <summary>Frames returned so far.</summary>
    public long FramesRead { get; private set; }

    /// <summary>Bytes received that do not yet make a whole frame.</summary>
    public int PendingBytes => _held;

    /// <summary>
    /// Consumes bytes from <paramref name="data"/> until one frame is complete and returns it; false when
    /// <paramref name="data"/> ran out first (its bytes are kept for the next call). <paramref name="consumed"/> is
    /// how many bytes were taken: call again with the rest.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> data, out int consumed, out byte[] frame)
    {
        var take = Math.Min(FrameLength - _held, data.Length);
        if (_held == 0 && take == FrameLength)
        {
            frame = data[..FrameLength].ToArray();
            consumed = FrameLength;
            FramesRead++;
            return true;
        }

        data[..take].CopyTo(_partial.AsSpan(_held));
        _held += take;
        consumed = take;
        if (_held < FrameLength)
        {
            frame = [];
            return false;
        }

        frame = (byte[])_partial.Clone();
        _held = 0;
        FramesRead++;
        return true;
    }
}
