using Receiver.Core.Media;
using AnnexB = Receiver.Core.Media.AnnexB;

namespace Receiver.Core.Diagnostics;

/// <summary>
/// Writes a session's decrypted video as an Annex-B elementary stream (<c>.h264</c> / <c>.h265</c>) that ffmpeg and ffplay open.
/// </summary>
public sealed class VideoDumpWriter : IDisposable
{
    private readonly string _directory;
    private readonly string _baseName;
    private FileStream? _file;
    private VideoCodec? _codec;

    private VideoDumpWriter(string directory, string baseName)
    {
        _directory = directory;
        _baseName = baseName;
    }

    /// <summary>The file being written, once the first codec packet arrived.</summary>
    public string? Path => _file?.Name;

    public static VideoDumpWriter Create(string directory, string baseName)
    {
        Directory.CreateDirectory(directory);
        return new VideoDumpWriter(directory, baseName);
    }

    public void WriteParameterSets(VideoFormat format)
    {
        if (_file is null || _codec != format.Codec)
        {
            _file?.Dispose();
            _codec = format.Codec;
            var extension = format.Codec == VideoCodec.H265 ? ".h265" : ".h264";
            _file = new FileStream(System.IO.Path.Combine(_directory, _baseName + extension), FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        }

        foreach (var parameterSet in format.ParameterSets)
        {
            _file.Write(AnnexB.StartCode);
            _file.Write(parameterSet.Span);
        }
    }

    /// <summary>Writes one AVCC access unit with start codes instead of length prefixes, and flushes it.</summary>
    public void WriteAccessUnit(ReadOnlySpan<byte> avcc)
    {
        if (_file is null)
        {
            return;
        }

        var reader = new NalUnitReader(avcc);
        while (reader.TryReadNext(out var nal))
        {
            _file.Write(AnnexB.StartCode);
            _file.Write(nal);
        }

        // Whole access units only: a reader of the file (ffplay, a test) never sees half a picture.
        _file.Flush();
    }

    public void Flush() => _file?.Flush();

    public void Dispose() => _file?.Dispose();
}
