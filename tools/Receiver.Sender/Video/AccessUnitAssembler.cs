using Receiver.Core.Media;

namespace Receiver.Sender.Video;

/// <summary>
/// Groups NAL units arriving one by one into access units: a new access unit starts at a parameter set, SEI or
/// access unit delimiter after a picture, or at the first slice of a new picture.
/// </summary>
public sealed class AccessUnitAssembler(VideoCodec codec)
{
    private List<byte[]> _current = [];
    private bool _hasPicture;

    /// <summary>Adds a NAL unit; returns the access unit it completed, if any.</summary>
    public SourceAccessUnit? Push(byte[] nal)
    {
        ArgumentNullException.ThrowIfNull(nal);
        if (nal.Length == 0)
        {
            return null;
        }

        SourceAccessUnit? completed = null;
        var isSlice = AnnexB.IsSlice(nal, codec);
        if (_hasPicture && ((isSlice && IsFirstSlice(nal)) || StartsAccessUnit(nal)))
        {
            completed = new SourceAccessUnit(_current);
            _current = [];
            _hasPicture = false;
        }

        _current.Add(nal);
        _hasPicture |= isSlice;
        return completed;
    }

    /// <summary>The last access unit at the end of the stream, if it holds a picture.</summary>
    public SourceAccessUnit? Flush()
    {
        var last = _hasPicture ? new SourceAccessUnit(_current) : null;
        _current = [];
        _hasPicture = false;
        return last;
    }

    private bool IsFirstSlice(byte[] nal) => codec == VideoCodec.H265
        ? nal.Length > 2 && (nal[2] & 0x80) != 0
        : nal.Length > 1 && (nal[1] & 0x80) != 0;

    private bool StartsAccessUnit(byte[] nal)
    {
        var type = AnnexB.NalUnitType(nal, codec);
        return codec == VideoCodec.H265
            ? type is >= 32 and <= 35 or 39
            : type is 6 or 7 or 8 or 9;
    }
}
