namespace Receiver.Sender.Audio;

/// <summary>
/// Writes ALAC frames in the codec's uncompressed ("escape") form: one element header (SCE for mono, CPE for
/// stereo, instance 0), the not-compressed flag, the optional 32-bit sample count for a short frame, every sample
/// as a big-endian 16-bit value interleaved by channel, and the END element. Any ALAC decoder configured with a
/// frame length of at least the sample count and a bit depth of 16 plays these frames.
/// </summary>
public static class AlacVerbatimFrame
{
    private const int BitDepth = 16;

    /// <summary>Bytes <see cref="Write"/> produces for <paramref name="samplesPerChannel"/> samples.</summary>
    public static int GetLength(int samplesPerChannel, int channels, bool hasSize) =>
        ((3 + 4 + 12 + 1 + 2 + 1 + (hasSize ? 32 : 0) + (samplesPerChannel * channels * BitDepth) + 3) + 7) / 8;

    /// <summary>
    /// Encodes interleaved 16-bit samples (<paramref name="interleaved"/> holds samples × channels values).
    /// <paramref name="frameLength"/> is the cookie's frame length; fewer samples make the frame carry its size.
    /// </summary>
    public static byte[] Write(ReadOnlySpan<short> interleaved, int channels, int frameLength)
    {
        if (channels is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Only mono and stereo frames are written.");
        }

        if (interleaved.Length % channels != 0)
        {
            throw new ArgumentException($"{interleaved.Length} samples do not divide into {channels} channels.", nameof(interleaved));
        }

        var samples = interleaved.Length / channels;
        if (samples == 0 || samples > frameLength)
        {
            throw new ArgumentException($"A frame holds 1…{frameLength} samples per channel, not {samples}.", nameof(interleaved));
        }

        var hasSize = samples != frameLength;
        var output = new byte[GetLength(samples, channels, hasSize)];
        var bits = new BitWriter(output);
        bits.Write(channels == 2 ? 1u : 0u, 3);
        bits.Write(0, 4);
        bits.Write(0, 12);
        bits.Write(hasSize ? 1u : 0u, 1);
        bits.Write(0, 2);
        bits.Write(1, 1);
        if (hasSize)
        {
            bits.Write((uint)samples, 32);
        }

        foreach (var sample in interleaved)
        {
            bits.Write(unchecked((ushort)sample), BitDepth);
        }

        bits.Write(7, 3);
        return output;
    }

    private ref struct BitWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;
        private int _bit;

        public void Write(uint value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                if (((value >> i) & 1) != 0)
                {
                    _destination[_bit >> 3] |= (byte)(0x80 >> (_bit & 7));
                }

                _bit++;
            }
        }
    }
}
