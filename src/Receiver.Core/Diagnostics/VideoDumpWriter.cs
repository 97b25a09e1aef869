using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Receiver.Core.Media;
using AnnexB = Receiver.Core.Media.AnnexB;

namespace Receiver.Core.Diagnostics;

/// <summary>
/// Writes a session's decrypted video as an Annex-B elementary stream (<c>.h264</c> / <c>.h265</c>) that ffmpeg and ffplay open.
/// Each access unit reaches the file in one write at the file's end, so a reader of the file (ffplay, a test) never
/// sees half a picture and nothing is buffered in between.
/// </summary>
public sealed class VideoDumpWriter : IDisposable
{
    private readonly string _directory;
    private readonly string _baseName;
    private SafeFileHandle? _file;
    private string? _path;
    private long _length;
    private VideoCodec? _codec;
    private int[] _prefixAt = new int[16];
    private uint[] _prefixes = new uint[16];

    private VideoDumpWriter(string directory, string baseName)
    {
        _directory = directory;
        _baseName = baseName;
    }

    /// <summary>The file being written, once the first codec packet arrived.</summary>
    public string? Path => _path;

    public static VideoDumpWriter Create(string directory, string baseName)
    {
        Directory.CreateDirectory(directory);
        return new VideoDumpWriter(directory, baseName);
    }

    public void WriteParameterSets(VideoFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (_file is null || _codec != format.Codec)
        {
            _file?.Dispose();
            _codec = format.Codec;
            var extension = format.Codec == VideoCodec.H265 ? ".h265" : ".h264";
            _path = System.IO.Path.Combine(_directory, _baseName + extension);
            _file = File.OpenHandle(_path, FileMode.Create, FileAccess.Write, FileShare.Read);
            _length = 0;
        }

        var length = 0;
        foreach (var parameterSet in format.ParameterSets)
        {
            length += AnnexB.StartCode.Length + parameterSet.Length;
        }

        var bytes = new byte[length];
        var at = 0;
        foreach (var parameterSet in format.ParameterSets)
        {
            AnnexB.StartCode.CopyTo(bytes.AsSpan(at));
            at += AnnexB.StartCode.Length;
            parameterSet.Span.CopyTo(bytes.AsSpan(at));
            at += parameterSet.Length;
        }

        Append(bytes);
    }

    /// <summary>
    /// Writes one AVCC access unit (4-byte lengths) with start codes instead of length prefixes, in one write. For that
    /// write each length prefix in <paramref name="avcc"/> is replaced by a start code (both are 4 bytes); the prefixes
    /// are put back before this returns, so the caller's buffer is as it was. A malformed tail is left out.
    /// </summary>
    public void WriteAccessUnit(Span<byte> avcc)
    {
        if (_file is null)
        {
            return;
        }

        var count = 0;
        var end = 0;
        var reader = new NalUnitReader(avcc);
        while (true)
        {
            var at = reader.Position;
            if (!reader.TryReadNext(out _))
            {
                break;
            }

            if (count == _prefixAt.Length)
            {
                Array.Resize(ref _prefixAt, count * 2);
                Array.Resize(ref _prefixes, count * 2);
            }

            _prefixAt[count++] = at;
            end = reader.Position;
        }

        for (var i = 0; i < count; i++)
        {
            var prefix = avcc.Slice(_prefixAt[i], 4);
            _prefixes[i] = BinaryPrimitives.ReadUInt32BigEndian(prefix);
            AnnexB.StartCode.CopyTo(prefix);
        }

        try
        {
            Append(avcc[..end]);
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(avcc.Slice(_prefixAt[i], 4), _prefixes[i]);
            }
        }
    }

    public void Dispose() => _file?.Dispose();

    private void Append(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.Write(_file!, bytes, _length);
        _length += bytes.Length;
    }
}
