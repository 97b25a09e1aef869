namespace Receiver.Core.Audio;

/// <summary>The 7-byte (9 with CRC) header of an ADTS AAC frame (ISO/IEC 13818-7 / 14496-3 1.A.2).</summary>
public readonly record struct AdtsHeader(int Profile, int SampleRateIndex, int ChannelConfiguration, int FrameLength, int HeaderLength, int RawBlocks)
{
    public const int MinimumLength = 7;

    private static readonly int[] SampleRates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>Sampling frequency in Hz, 0 for a reserved index.</summary>
    public int SampleRate => SampleRateIndex < SampleRates.Length ? SampleRates[SampleRateIndex] : 0;

    /// <summary>Parses a header at the start of <paramref name="data"/>; false when it is too short or not a valid header.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out AdtsHeader header)
    {
        header = default;
        if (data.Length < MinimumLength || data[0] != 0xFF || (data[1] & 0xF6) != 0xF0)
        {
            return false;
        }

        var protectionAbsent = (data[1] & 1) != 0;
        var profile = (data[2] >> 6) + 1;
        var rateIndex = (data[2] >> 2) & 0x0F;
        var channels = ((data[2] & 1) << 2) | (data[3] >> 6);
        var frameLength = ((data[3] & 3) << 11) | (data[4] << 3) | (data[5] >> 5);
        var headerLength = protectionAbsent ? 7 : 9;
        if (frameLength < headerLength || rateIndex >= SampleRates.Length)
        {
            return false;
        }

        header = new AdtsHeader(profile, rateIndex, channels, frameLength, headerLength, (data[6] & 3) + 1);
        return true;
    }

    /// <summary>The AudioSpecificConfig (2 bytes) for this stream: object type, rate index, channel configuration.</summary>
    public byte[] ToAudioSpecificConfig() =>
        [(byte)((Profile << 3) | (SampleRateIndex >> 1)), (byte)(((SampleRateIndex & 1) << 7) | (ChannelConfiguration << 3))];
}
