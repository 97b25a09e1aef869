using System.Buffers.Binary;

namespace Receiver.LoadBench;

/// <summary>
/// What one viewer's media messages say, read from their header alone: video fragments received, the gaps in their
/// sequence numbers (bytes 4..7: fragments the viewer never got, skipped by the receiver or lost) and the
/// receiver-added latency (bytes 32..39 sent − 24..31 received, microseconds since 1970). A format message or an init
/// segment starts a new numbering; the backlog pictures a viewer gets on joining are not counted.
/// </summary>
public sealed class VideoFragmentTally
{
    public const int HeaderLength = 40;
    private const byte InitSegment = 1;
    private const byte VideoMedia = 2;
    private const byte BacklogFlag = 0x02;
    private readonly List<float> _latencyMs = new(4096);
    private uint? _lastSequence;

    /// <summary>Count only while this is set (the measured window); sequence numbers are followed always.</summary>
    public bool Measuring { get; set; }

    public IReadOnlyList<float> LatencyMs => _latencyMs;

    public long VideoFrames { get; private set; }

    public long MissingFragments { get; private set; }

    /// <summary>A text message (the stream's format) arrived.</summary>
    public void OnFormat() => _lastSequence = null;

    /// <summary>A binary message arrived; <paramref name="header"/> holds at least its first <see cref="HeaderLength"/> bytes.</summary>
    public void OnBinary(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength)
        {
            return;
        }

        var kind = header[0];
        if (kind == InitSegment)
        {
            _lastSequence = null;
            return;
        }

        if (kind != VideoMedia)
        {
            return;
        }

        var sequence = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var gap = _lastSequence is { } last && sequence > last ? sequence - last - 1 : 0;
        _lastSequence = sequence;
        if (!Measuring || (header[1] & BacklogFlag) != 0)
        {
            return;
        }

        VideoFrames++;
        MissingFragments += gap;
        var received = BinaryPrimitives.ReadInt64BigEndian(header[24..]);
        var sent = BinaryPrimitives.ReadInt64BigEndian(header[32..]);
        if (received != 0)
        {
            _latencyMs.Add((sent - received) / 1000f);
        }
    }
}
