namespace Receiver.Core.Media;

/// <summary>
/// Conversion between a NAL unit's escaped payload and its raw byte sequence payload (RBSP):
/// the encoder inserts an emulation prevention byte 0x03 after every two zero bytes that would
/// otherwise be followed by a byte 0x00..0x03.
/// </summary>
internal static class Rbsp
{
    /// <summary>Removes emulation prevention bytes.</summary>
    public static byte[] Unescape(ReadOnlySpan<byte> nal)
    {
        var output = new byte[nal.Length];
        var length = 0;
        var zeros = 0;
        foreach (var b in nal)
        {
            if (zeros >= 2 && b == 0x03)
            {
                zeros = 0;
                continue;
            }

            output[length++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }

        return length == output.Length ? output : output.AsSpan(0, length).ToArray();
    }

    /// <summary>Inserts emulation prevention bytes so that no start code can appear inside the NAL unit.</summary>
    public static byte[] Escape(ReadOnlySpan<byte> rbsp)
    {
        var output = new List<byte>(rbsp.Length + 8);
        var zeros = 0;
        foreach (var b in rbsp)
        {
            if (zeros >= 2 && b <= 0x03)
            {
                output.Add(0x03);
                zeros = 0;
            }

            output.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }

        return [.. output];
    }
}
