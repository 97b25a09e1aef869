namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// Removes the VUI from an H.264 SPS, as Apple's encoder writes it: without bitstream_restriction a browser's
/// decoder may hold pictures back. Used to measure what the receiver's low-decoder-delay rewrite gains.
/// Handles SPS without scaling matrices (what x264 writes by default).
/// </summary>
public static class AppleStyleSps
{
    public static byte[] StripVui(ReadOnlySpan<byte> sps)
    {
        var rbsp = Unescape(sps);
        var reader = new BitCursor(rbsp);
        reader.Skip(8);
        var profile = (int)reader.Bits(8);
        reader.Skip(16);
        reader.Golomb();
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            if (reader.Golomb() == 3)
            {
                reader.Skip(1);
            }

            reader.Golomb();
            reader.Golomb();
            reader.Skip(1);
            if (reader.Bits(1) != 0)
            {
                throw new NotSupportedException("SPS with scaling matrices");
            }
        }

        reader.Golomb();
        var pocType = reader.Golomb();
        if (pocType == 0)
        {
            reader.Golomb();
        }
        else if (pocType == 1)
        {
            reader.Skip(1);
            reader.Golomb();
            reader.Golomb();
            var cycle = reader.Golomb();
            for (var i = 0; i < cycle; i++)
            {
                reader.Golomb();
            }
        }

        reader.Golomb();
        reader.Skip(1);
        reader.Golomb();
        reader.Golomb();
        if (reader.Bits(1) == 0)
        {
            reader.Skip(1);
        }

        reader.Skip(1);
        if (reader.Bits(1) != 0)
        {
            reader.Golomb();
            reader.Golomb();
            reader.Golomb();
            reader.Golomb();
        }

        // Keep every bit up to vui_parameters_present_flag, write it as 0, then the RBSP trailing bits.
        var position = reader.Position;
        var bits = new List<bool>();
        for (var i = 0; i < position; i++)
        {
            bits.Add(((rbsp[i / 8] >> (7 - (i % 8))) & 1) != 0);
        }

        bits.Add(false);
        bits.Add(true);
        while (bits.Count % 8 != 0)
        {
            bits.Add(false);
        }

        var output = new byte[bits.Count / 8];
        for (var i = 0; i < bits.Count; i++)
        {
            if (bits[i])
            {
                output[i / 8] |= (byte)(0x80 >> (i % 8));
            }
        }

        return Escape(output);
    }

    private static byte[] Unescape(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>(data.Length);
        var zeros = 0;
        foreach (var b in data)
        {
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }

            zeros = b == 0 ? zeros + 1 : 0;
            output.Add(b);
        }

        return [.. output];
    }

    private static byte[] Escape(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>(data.Length + 4);
        var zeros = 0;
        foreach (var b in data)
        {
            if (zeros >= 2 && b <= 3)
            {
                output.Add(3);
                zeros = 0;
            }

            zeros = b == 0 ? zeros + 1 : 0;
            output.Add(b);
        }

        return [.. output];
    }

    private sealed class BitCursor(byte[] data)
    {
        public int Position { get; private set; }

        public void Skip(int count) => Position += count;

        public uint Bits(int count)
        {
            var value = 0u;
            for (var i = 0; i < count; i++)
            {
                value = (value << 1) | (uint)((data[Position / 8] >> (7 - (Position % 8))) & 1);
                Position++;
            }

            return value;
        }

        public uint Golomb()
        {
            var zeros = 0;
            while (Bits(1) == 0)
            {
                zeros++;
            }

            return zeros == 0 ? 0 : ((1u << zeros) - 1) + Bits(zeros);
        }
    }
}
