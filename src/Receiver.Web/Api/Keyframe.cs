using System.Buffers.Binary;
using Receiver.Core.Media;

namespace Receiver.Web.Api;

/// <summary>A decodable picture: a session's parameter sets and one keyframe, as an Annex-B elementary stream.</summary>
/// <param name="Codec">The video codec.</param>
/// <param name="SequenceNumber">The keyframe's fragment sequence number; identifies it within the session.</param>
/// <param name="AnnexB">Parameter sets then the keyframe's NAL units, each preceded by a 4-byte start code.</param>
public sealed record Keyframe(VideoCodec Codec, uint SequenceNumber, byte[] AnnexB)
{
    /// <summary>
    /// Builds the stream from a format and a keyframe's AVCC payload (NAL units with 4-byte big-endian lengths).
    /// </summary>
    /// <exception cref="MediaFormatException">A length runs past the end of the payload.</exception>
    public static Keyframe Create(VideoFormat format, uint sequenceNumber, ReadOnlySpan<byte> avcc)
    {
        ArgumentNullException.ThrowIfNull(format);
        var size = 0;
        foreach (var parameterSet in format.ParameterSets)
        {
            size += 4 + parameterSet.Length;
        }

        size += avcc.Length;
        var output = new byte[size];
        var position = 0;
        foreach (var parameterSet in format.ParameterSets)
        {
            AnnexBStartCode.CopyTo(output.AsSpan(position));
            parameterSet.Span.CopyTo(output.AsSpan(position + 4));
            position += 4 + parameterSet.Length;
        }

        var offset = 0;
        while (offset < avcc.Length)
        {
            if (avcc.Length - offset < 4)
            {
                throw new MediaFormatException($"AVCC payload: {avcc.Length - offset} trailing bytes are too few for a NAL unit length.");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(avcc[offset..]);
            if (length > (uint)(avcc.Length - offset - 4))
            {
                throw new MediaFormatException($"AVCC payload: NAL unit of {length} bytes at offset {offset} runs past the end ({avcc.Length} bytes).");
            }

            AnnexBStartCode.CopyTo(output.AsSpan(position));
            avcc.Slice(offset + 4, (int)length).CopyTo(output.AsSpan(position + 4));
            position += 4 + (int)length;
            offset += 4 + (int)length;
        }

        return new Keyframe(format.Codec, sequenceNumber, output);
    }

    private static ReadOnlySpan<byte> AnnexBStartCode => [0, 0, 0, 1];
}
