namespace Receiver.Core.Audio;

/// <summary>
/// Splits an ADTS byte stream that arrives in arbitrary chunks into raw AAC frames (headers removed). Bytes
/// before a valid header are skipped (counted in <see cref="SkippedBytes"/>). Not thread-safe.
/// </summary>
public sealed class AdtsFrameReader
{
    private byte[] _buffer = new byte[16384];
    private int _start;
    private int _end;

    public long SkippedBytes { get; private set; }

    /// <summary>The header of the frame returned last.</summary>
    public AdtsHeader LastHeader { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_end + data.Length > _buffer.Length)
        {
            var held = _end - _start;
            if (held + data.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, held + data.Length));
            }

            Buffer.BlockCopy(_buffer, _start, _buffer, 0, held);
            _start = 0;
            _end = held;
        }

        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Returns the next complete frame's raw payload, or false until more bytes arrive.</summary>
    public bool TryRead(out byte[] frame)
    {
        while (_end - _start >= AdtsHeader.MinimumLength)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            if (!AdtsHeader.TryParse(span, out var header))
            {
                _start++;
                SkippedBytes++;
                continue;
            }

            if (span.Length < header.FrameLength)
            {
                break;
            }

            frame = span[header.HeaderLength..header.FrameLength].ToArray();
            LastHeader = header;
            _start += header.FrameLength;
            return true;
        }

        frame = [];
        return false;
    }
}
