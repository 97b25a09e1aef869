using System.Runtime.CompilerServices;
using Receiver.Core.Media;

namespace Receiver.Sender.Video;

/// <summary>Reads an Annex-B byte stream incrementally (e.g. an encoder's stdout) and yields access units as they complete.</summary>
public sealed class AnnexBStreamReader(Stream stream, VideoCodec codec)
{
    private const int ChunkSize = 64 * 1024;

    public async IAsyncEnumerable<SourceAccessUnit> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var assembler = new AccessUnitAssembler(codec);
        var buffer = new byte[ChunkSize * 2];
        var length = 0;
        var nalStart = -1;
        var scan = 0;
        while (true)
        {
            if (buffer.Length - length < ChunkSize)
            {
                // Drop consumed bytes, then grow if a single NAL unit still fills the buffer.
                var keep = nalStart >= 0 ? nalStart : Math.Max(0, length - 3);
                var shift = Math.Max(0, keep - 3);
                Buffer.BlockCopy(buffer, shift, buffer, 0, length - shift);
                length -= shift;
                scan -= shift;
                nalStart = nalStart >= 0 ? nalStart - shift : -1;
                if (buffer.Length - length < ChunkSize)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length, ChunkSize), cancellationToken);
            var end = read == 0;
            length += read;
            var i = Math.Max(scan, 0);
            for (; i + 2 < length; i++)
            {
                if (buffer[i + 2] > 1)
                {
                    i += 2;
                    continue;
                }

                if (buffer[i] != 0 || buffer[i + 1] != 0 || buffer[i + 2] != 1)
                {
                    continue;
                }

                if (nalStart >= 0 && CompleteNal(buffer, nalStart, i) is { } nal && assembler.Push(nal) is { } unit)
                {
                    yield return unit;
                }

                nalStart = i + 3;
                i += 2;
            }

            scan = i;
            if (end)
            {
                if (nalStart >= 0 && CompleteNal(buffer, nalStart, length) is { } last && assembler.Push(last) is { } unit)
                {
                    yield return unit;
                }

                if (assembler.Flush() is { } final)
                {
                    yield return final;
                }

                yield break;
            }
        }
    }

    private static byte[]? CompleteNal(byte[] buffer, int start, int end)
    {
        while (end > start && buffer[end - 1] == 0)
        {
            end--;
        }

        return end > start ? buffer.AsSpan(start, end - start).ToArray() : null;
    }
}
